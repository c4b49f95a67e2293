// The data directory of a witness run by `vtrust witness` (c2sp.org/tlog-witness):
//
//   WDIR/witness.toml   name = "<cosigning key name>"
//                       [[logs]] origin = "<log origin>", vkeys = ["<Ed25519 note vkey>", ...]
//   WDIR/secrets/       key-encryption key and the sealed Ed25519 cosigning key
//                       (cosigner.key, see app/core/secrets.h)
//   WDIR/witness.db     SQLite (WAL, synchronous=FULL): the latest cosigned
//                       (size, root) per origin, updated by compare-and-swap
//
// The witness logic itself is tlog::Witness; this file gives it durable state
// and keys. Changes to witness.toml take effect when the witness restarts.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/rng.h"
#include "base/status.h"
#include "store/sql.h"
#include "tlog/cosignature.h"
#include "tlog/witness.h"

namespace vt::server {

struct WitnessDirConfig {
  struct Log {
    std::string origin;
    std::vector<std::string> vkeys;  // Ed25519 note keys (type 0x01) named `origin`
  };
  std::string name;  // the cosigning key's name
  std::vector<Log> logs;
};

// Creates WDIR (if needed), its key-encryption key (from `rng`), the cosigning
// key and a config with no logs.
// FailedPrecondition if WDIR already holds a witness; InvalidArgument for a
// name that is not a valid key name.
Status InitWitnessDir(const std::string& dir, const std::string& name, Rng& rng);
// Reads WDIR/witness.toml. NotFound if WDIR is not a witness directory;
// InvalidArgument naming the problem for a malformed file.
StatusOr<WitnessDirConfig> LoadWitnessConfig(const std::string& dir);
// Trusts a log: `vkey` is the log's Ed25519 note vkey, whose name is the log's
// origin. Returns the origin. InvalidArgument for a bad or non-Ed25519 key;
// AlreadyExists if that key is listed already. Writes the file atomically.
StatusOr<std::string> AddWitnessLog(const std::string& dir, const std::string& vkey);
// The witness's cosigner (its private key stays sealed at rest).
StatusOr<std::shared_ptr<tlog::Cosigner>> LoadCosigner(const std::string& dir);

// tlog::WitnessStateStore over one SQLite connection. Thread-safe (a mutex
// serializes Load and CompareAndSwap); a successful CompareAndSwap is durable.
class SqliteWitnessStateStore final : public tlog::WitnessStateStore {
 public:
  // Opens (creating) the database at `path`.
  static StatusOr<std::unique_ptr<SqliteWitnessStateStore>> Open(const std::string& path);
  StatusOr<std::optional<tlog::WitnessLogState>> Load(std::string_view origin) override;
  Status CompareAndSwap(std::string_view origin,
                        const std::optional<tlog::WitnessLogState>& expected,
                        const tlog::WitnessLogState& next) override;

 private:
  SqliteWitnessStateStore() = default;
  StatusOr<std::optional<tlog::WitnessLogState>> LoadLocked(std::string_view origin);
  std::mutex mu_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Conn> conn_;  // guarded by mu_
};

// A witness ready to serve.
struct WitnessHost {
  std::string name;
  std::string vkey;  // the cosigning vkey (type 0x04) to give to logs
  std::unique_ptr<SqliteWitnessStateStore> store;
  std::unique_ptr<tlog::Witness> witness;  // uses *store; declared after it
};

// Loads the config, key and state of WDIR. `clock` (cosignature timestamps)
// must outlive the host. FailedPrecondition if no log is configured.
StatusOr<std::unique_ptr<WitnessHost>> OpenWitnessHost(const std::string& dir, const Clock& clock);

}  // namespace vt::server
