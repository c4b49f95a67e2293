// The data directory and its configuration file (DIR/config.toml).
//
//   DIR/config.toml   settings (below); written by `vtrust init`, edited by operators
//   DIR/vtrust.db     the SQLite database (unless `database` names PostgreSQL)
//   DIR/secrets/      private keys sealed under the key-encryption key, which lives
//                     outside DIR (Config::kek; mode 0700, files 0600)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace vt::app {

struct Config {
  std::string data_dir;
  // "sqlite:<path>" (relative paths are relative to the data directory) or a
  // PostgreSQL URL "postgresql://user@host:port/db".
  std::string database = "sqlite:vtrust.db";
  // The log's origin line and key name (C2SP tlog-checkpoint). Default "<host>/log".
  std::string log_origin;
  // Base URL that certificates and QR codes point at ("http://127.0.0.1:8080").
  std::string public_url = "http://127.0.0.1:8080";
  // The PKCS#11 module that key references "pkcs11:token=..;object=.." use
  // (service/ca_keys.h); empty = crypto::kDefaultPkcs11Module (SoftHSM2). The
  // user PIN is never stored: it comes from the environment, VTRUST_PKCS11_PIN.
  std::string pkcs11_module;
  // Where the key-encryption key comes from (app/core/secrets.h, KekSource):
  // "file:/abs/path", "env:NAME", "credential:NAME"; "" = DIR/secrets/kek, inside
  // the data directory (refused by `vtrust serve` without --insecure-local-kek).
  std::string kek;
  // How many unexpired used "I am me" challenges one client address may hold
  // (docs/i-am-me.md); 0 = app::kDefaultChallengeClientQuota.
  int challenge_quota_per_client = 0;
  uint64_t max_body_bytes = 1 << 20;
  int http_threads = 32;
  // HTTP front limits (api/http_limits.h, docs/http.md); 0 = the built-in default.
  int http_header_timeout_seconds = 0;
  int http_idle_timeout_seconds = 0;
  int http_max_connections = 0;
  // Token bucket per client address for the public challenge routes; a negative
  // rate = the built-in default, 0 = off.
  double http_rate_per_second = -1;
  int http_rate_burst = 0;
  // Witnesses that cosign the log's checkpoints (c2sp.org/tlog-witness), each
  // "<cosignature vkey>@<base URL>" (the log POSTs to <URL>/add-checkpoint), and
  // how many must cosign a checkpoint before /log/checkpoint serves it (k of n;
  // 0 = all). See service/witnessing.h.
  std::vector<std::string> witnesses;
  int witness_policy = 0;
  // An RFC 3161 time-stamping authority (`vtrust tsa serve`, or any TSA) that
  // content signing asks for the claim signature's sigTst2 token
  // (docs/c2pa.md, "Timestamps"); empty = no timestamps.
  std::string tsa_url;
  // The largest asset POST /v1/content/sign|verify reads (streamed to a
  // temporary file, never held in memory); docs/c2pa.md.
  uint64_t content_max_body_bytes = uint64_t{512} << 20;

  // The database URL with relative SQLite paths resolved against data_dir.
  std::string DatabaseUrl() const;
};

// The file DIR/config.toml is read and written by the composition root
// (server/config_file.h); the application only sees the parsed Config.

// Writes `contents` to `path` atomically with the given mode (temp + fsync + rename
// + fsync of the directory).
Status WriteFileAtomic(const std::string& path, const std::string& contents, int mode = 0644);
StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace vt::app
