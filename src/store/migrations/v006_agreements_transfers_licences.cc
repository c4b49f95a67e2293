// Version 6: agreements, signatures, ownership transfers and licences
// (docs/agreements.md). agreement_versions.document is the version's RFC 8785
// canonical JSON and hash its SHA-256 (hex); status pending | in_force |
// superseded, at most one in_force per agreement. work_documents are transfers
// and licences of a work's rights (pending | effective). signatures holds every
// accepted signature on any of these documents (by document hash).
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

constexpr const char* kV6 = R"SQL(
CREATE TABLE agreements (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  work_id     TEXT REFERENCES works(id),
  title       TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX agreements_org ON agreements(org_id, created_at);
CREATE TABLE agreement_versions (
  hash          TEXT PRIMARY KEY,
  agreement_id  TEXT NOT NULL REFERENCES agreements(id),
  version       INTEGER NOT NULL,
  document      TEXT NOT NULL,
  status        TEXT NOT NULL,
  effective_at  TEXT,
  created_at    TEXT NOT NULL,
  log_index     BIGINT,
  UNIQUE (agreement_id, version)
);
CREATE INDEX agreement_versions_status ON agreement_versions(agreement_id, status);
CREATE TABLE work_documents (
  hash          TEXT PRIMARY KEY,
  work_id       TEXT NOT NULL REFERENCES works(id),
  kind          TEXT NOT NULL,
  right_type    TEXT NOT NULL,
  exclusive     INTEGER NOT NULL,
  document      TEXT NOT NULL,
  status        TEXT NOT NULL,
  effective_at  TEXT,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  log_index     BIGINT
);
CREATE INDEX work_documents_work ON work_documents(work_id, kind, right_type);
CREATE TABLE signatures (
  document_hash  TEXT NOT NULL,
  signer_member  TEXT NOT NULL REFERENCES members(id),
  parties        TEXT NOT NULL,
  cert_serial    TEXT NOT NULL,
  signature      %BLOB% NOT NULL,
  signed_at      TEXT NOT NULL,
  PRIMARY KEY (document_hash, signer_member)
);
)SQL";

}  // namespace

store::Migration V006AgreementsTransfersLicences() {
  return {6, "agreements, transfers and licences", Dialect(kV6, false), Dialect(kV6, true)};
}

}  // namespace vt::app::migrations
