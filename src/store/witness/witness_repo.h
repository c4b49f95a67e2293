// Repository over a witness's own SQLite database (server/witness_host.h): the
// latest cosigned (size, root) per log origin, table witness_state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store {

// A witness_state row.
struct WitnessStateRow {
  int64_t size = 0;
  std::string root;  // 32-byte tree hash
};

// Read-only queries over witness_state.
class WitnessReader {
 public:
  virtual ~WitnessReader() = default;
  // The state of log `origin`; nullopt if the witness never cosigned it.
  virtual StatusOr<std::optional<WitnessStateRow>> FindState(std::string_view origin) = 0;
};

// Writes (the caller holds the transaction). Not thread-safe.
class WitnessWriter : public WitnessReader {
 public:
  // Sets (inserting or replacing) the state of log `origin`.
  virtual Status PutState(std::string_view origin, const WitnessStateRow& row) = 0;
};

// Creates witness_state if it does not exist.
Status CreateWitnessSchema(Conn& conn);

// The SQL implementation over an open connection; `conn` must outlive it.
std::unique_ptr<WitnessWriter> NewSqlWitnessRepo(Conn& conn);

}  // namespace vt::store
