// Version 5: the certification authority (docs/operations.md). cas holds
// one row per CA certificate ("<alg>-root", "<alg>-issuing", "<alg>-ocsp") and
// where its key lives (key_ref: "secrets:<name>" or "pkcs11:token=..;object=..").
// certificates holds every serial issued, inserted before the real signature
// (cert_der NULL while reserved); revocation state lives in the same row.
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

constexpr const char* kV5 = R"SQL(
CREATE TABLE cas (
  id          TEXT PRIMARY KEY,
  alg         TEXT NOT NULL,
  kind        TEXT NOT NULL,
  cert_der    %BLOB% NOT NULL,
  key_ref     TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE certificates (
  serial             TEXT PRIMARY KEY,
  ca_id              TEXT NOT NULL REFERENCES cas(id),
  profile            TEXT NOT NULL,
  alg                TEXT NOT NULL,
  character_id       TEXT,
  member_id          TEXT,
  org_id             TEXT NOT NULL,
  cert_der           %BLOB%,
  not_before         TEXT,
  not_after          TEXT,
  status             TEXT NOT NULL,
  revoked_at         TEXT,
  revocation_reason  TEXT,
  superseded_by      TEXT,
  key_ref            TEXT,
  created_at         TEXT NOT NULL,
  log_index          BIGINT
);
CREATE INDEX certificates_character ON certificates(character_id, created_at);
CREATE INDEX certificates_member ON certificates(member_id, created_at);
)SQL";

}  // namespace

store::Migration V005CertificationAuthority() {
  return {5, "certification authority", Dialect(kV5, false), Dialect(kV5, true)};
}

}  // namespace vt::app::migrations
