// The openings of the commitments in transparency-log entries (schema version 9;
// docs/log-entries.md "Commitments"): the salt and the value of each committed
// field, kept in the database and never in the log.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store {

struct LogOpeningRow {
  std::string commitment;  // "sha256:" + 64 hex digits
  std::string org_id;      // the organization entitled to the opening
  std::string party;       // one more entitled party, or ""
  std::string entry_type;
  std::string field;  // JSON Pointer into the entry
  std::string salt_hex;
  std::string value;  // canonical JSON
  std::string created_at;
};

class OpeningReader {
 public:
  virtual ~OpeningReader() = default;
  // The opening of `commitment`, or nullopt if this database made no such commitment.
  virtual StatusOr<std::optional<LogOpeningRow>> FindOpening(const std::string& commitment) = 0;
};

class OpeningWriter : public OpeningReader {
 public:
  // Stores one opening (inside the committer's transaction).
  virtual Status InsertOpening(const LogOpeningRow& row) = 0;
};

// The SQL implementation over an open connection (both dialects); `conn` must
// outlive it.
std::unique_ptr<OpeningWriter> NewSqlOpeningRepo(Conn& conn);

}  // namespace vt::store
