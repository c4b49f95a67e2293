#include "store/migrations/migrations.h"

namespace vt::app {
namespace {

// Version 1: tenants and access. Times are RFC 3339 text (sortable, portable).
constexpr const char* kV1 = R"SQL(
CREATE TABLE orgs (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE members (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  name        TEXT NOT NULL,
  email       TEXT NOT NULL,
  role        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  removed_at  TEXT
);
CREATE UNIQUE INDEX members_org_name ON members(org_id, name);
CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs(id),
  member_id    TEXT NOT NULL REFERENCES members(id),
  name         TEXT NOT NULL,
  role         TEXT NOT NULL,
  secret_hash  %BLOB% NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_tokens_org ON api_tokens(org_id);
)SQL";

// Version 2: the transparency log. Entries are stored once (entry bundles are
// assembled from them); each hash tile is stored once at its widest version (a
// partial tile of width W is the first W hashes of any wider version). log_state
// holds the latest signed checkpoint; the sequencer updates it with a
// compare-and-swap on the size, so two inconsistent checkpoints cannot be signed.
constexpr const char* kV2 = R"SQL(
CREATE TABLE log_entries (
  idx   BIGINT PRIMARY KEY,
  data  %BLOB% NOT NULL
);
CREATE TABLE log_tiles (
  level INTEGER NOT NULL,
  idx   BIGINT NOT NULL,
  data  %BLOB% NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE log_state (
  id          INTEGER PRIMARY KEY,
  size        BIGINT NOT NULL,
  root        %BLOB% NOT NULL,
  checkpoint  TEXT NOT NULL
);
)SQL";

// Version 4: works and rights (docs/works.md). `record` is the work's canonical
// JSON (titles, digests, identifiers, rights); sha256 is unique: one claim per
// content. log_index is the work.registered entry's index, set after commit.
constexpr const char* kV4 = R"SQL(
CREATE TABLE works (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  type        TEXT NOT NULL,
  sha256      TEXT NOT NULL UNIQUE,
  sm3         TEXT,
  record      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  log_index   BIGINT
);
CREATE INDEX works_org ON works(org_id, created_at);
CREATE TABLE work_uses (
  work_id       TEXT NOT NULL REFERENCES works(id),
  used_work_id  TEXT NOT NULL REFERENCES works(id),
  role          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  PRIMARY KEY (work_id, used_work_id)
);
CREATE INDEX work_uses_used ON work_uses(used_work_id);
)SQL";

// Version 3: the character registry (docs: issue 4). `record` is the character's
// JSON (names, likeness fingerprints, flags); status is "active" or "retired".
constexpr const char* kV3 = R"SQL(
CREATE TABLE characters (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  status      TEXT NOT NULL,
  record      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX characters_org ON characters(org_id, created_at);
)SQL";

// Version 5: the certification authority (issue 4; docs/operations.md). cas holds
// one row per CA certificate ("<alg>-root", "<alg>-issuing", "<alg>-ocsp") and
// where its key lives (key_ref: "secrets:<name>" or "pkcs11:token=..;object=..").
// certificates holds every serial issued, inserted before the real signature
// (cert_der NULL while reserved); revocation state lives in the same row.
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

// Version 6: agreements, signatures, ownership transfers and licences (issue 5;
// docs/agreements.md). agreement_versions.document is the version's RFC 8785
// canonical JSON and hash its SHA-256 (hex); status pending | in_force |
// superseded, at most one in_force per agreement. work_documents are transfers
// and licences of a work's rights (pending | effective). signatures holds every
// accepted signature on any of these documents (by document hash).
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

// Version 7: revenue lines, settlement runs, the double-entry ledger and signed
// statements (issue 5; docs/settlement.md, "Ledger" and "Statements"). Revenue
// lines are unique per (org, idempotency key): a replay is recognized, never
// counted twice. batch_seq orders imports; a run records the last batch it saw
// (through_batch), so the lines it settled can be listed again for verification.
// Ledger rows are immutable: triggers refuse UPDATE and DELETE in both dialects
// (dialect-specific, appended by V7); corrections are reversing transfers.
constexpr const char* kV7 = R"SQL(
CREATE TABLE revenue_batches (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  seq         BIGINT NOT NULL UNIQUE,
  line_count  BIGINT NOT NULL,
  new_count   BIGINT NOT NULL,
  sha256      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE TABLE revenue_lines (
  org_id           TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  work             TEXT NOT NULL,
  amount           BIGINT NOT NULL,
  currency         TEXT NOT NULL,
  territory        TEXT NOT NULL,
  channel          TEXT NOT NULL,
  period           TEXT NOT NULL,
  external_ref     TEXT,
  batch_seq        BIGINT NOT NULL,
  PRIMARY KEY (org_id, idempotency_key)
);
CREATE INDEX revenue_lines_work ON revenue_lines(org_id, work, period, batch_seq);
CREATE TABLE settlement_runs (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  agreement_id    TEXT NOT NULL,
  agreement_hash  TEXT NOT NULL,
  period          TEXT NOT NULL,
  currency        TEXT NOT NULL,
  status          TEXT NOT NULL,
  corrects        TEXT,
  through_batch   BIGINT NOT NULL,
  line_count      BIGINT NOT NULL,
  net_receipts    BIGINT NOT NULL,
  lines_sha256    TEXT NOT NULL,
  state           TEXT NOT NULL,
  summary         TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  log_index       BIGINT
);
CREATE UNIQUE INDEX settlement_runs_active ON settlement_runs(agreement_id, period)
  WHERE status = 'active';
CREATE TABLE ledger_accounts (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  kind          TEXT NOT NULL,
  agreement_id  TEXT NOT NULL,
  payee         TEXT,
  currency      TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE TABLE ledger_transfers (
  id              TEXT PRIMARY KEY,
  run_id          TEXT NOT NULL,
  seq             BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  debit_account   TEXT NOT NULL REFERENCES ledger_accounts(id),
  credit_account  TEXT NOT NULL REFERENCES ledger_accounts(id),
  amount          BIGINT NOT NULL CHECK (amount > 0),
  currency        TEXT NOT NULL,
  reverses        TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX ledger_transfers_run ON ledger_transfers(run_id, seq);
CREATE TABLE statements (
  run_id     TEXT NOT NULL,
  payee      TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  document   TEXT NOT NULL,
  csv        TEXT NOT NULL,
  signature  TEXT NOT NULL,
  key_id     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  log_index  BIGINT,
  PRIMARY KEY (run_id, payee)
);
%LEDGER_GUARDS%
)SQL";

constexpr const char* kV7SqliteGuards = R"SQL(
CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger rows are immutable'); END;
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger rows are immutable'); END;
CREATE TRIGGER ledger_accounts_no_update BEFORE UPDATE ON ledger_accounts
BEGIN SELECT RAISE(ABORT, 'ledger rows are immutable'); END;
CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE ON ledger_accounts
BEGIN SELECT RAISE(ABORT, 'ledger rows are immutable'); END;
)SQL";

constexpr const char* kV7PostgresGuards = R"SQL(
CREATE FUNCTION vt_ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'ledger rows are immutable'; END $$;
CREATE TRIGGER ledger_transfers_immutable BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION vt_ledger_immutable();
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION vt_ledger_immutable();
CREATE TRIGGER ledger_accounts_immutable BEFORE UPDATE OR DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION vt_ledger_immutable();
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION vt_ledger_immutable();
)SQL";

std::string V7(bool postgres) {
  std::string sql = kV7;
  size_t p = sql.find("%LEDGER_GUARDS%");
  sql.replace(p, 15, postgres ? kV7PostgresGuards : kV7SqliteGuards);
  return sql;
}

// Version 8: log storage per entry (service/log_storage.h). Full entry bundles
// become one row each (log_bundles; log_entries keeps only the incomplete last
// bundle: TransparencyLog::Open moves older full bundles over), partial hash
// tiles move to log_edge_tiles so that log_tiles rows are written once and
// never grow in place. On SQLite log_entries is rebuilt with an INTEGER PRIMARY
// KEY (idx is the rowid: no separate index b-tree).
constexpr const char* kV8 = R"SQL(
CREATE TABLE log_bundles (
  idx   %BIGINT_PK% PRIMARY KEY,
  data  %BLOB% NOT NULL
);
CREATE TABLE log_edge_tiles (
  level INTEGER PRIMARY KEY,
  idx   BIGINT NOT NULL,
  data  %BLOB% NOT NULL
);
INSERT INTO log_edge_tiles(level, idx, data)
  SELECT level, idx, data FROM log_tiles WHERE length(data) < 8192;
DELETE FROM log_tiles WHERE length(data) < 8192;
%REBUILD%)SQL";
constexpr const char* kV8SqliteRebuild = R"SQL(CREATE TABLE log_entries_v8 (
  idx   INTEGER PRIMARY KEY,
  data  BLOB NOT NULL
);
INSERT INTO log_entries_v8(idx, data) SELECT idx, data FROM log_entries;
DROP TABLE log_entries;
ALTER TABLE log_entries_v8 RENAME TO log_entries;
)SQL";

std::string V8(bool postgres) {
  std::string sql = kV8;
  sql.replace(sql.find("%BIGINT_PK%"), 11, postgres ? "BIGINT" : "INTEGER");
  sql.replace(sql.find("%REBUILD%"), 9, postgres ? "" : kV8SqliteRebuild);
  for (size_t p; (p = sql.find("%BLOB%")) != std::string::npos;)
    sql.replace(p, 6, postgres ? "BYTEA" : "BLOB");
  return sql;
}

std::string Dialect(std::string sql, bool postgres) {
  const std::string blob = postgres ? "BYTEA" : "BLOB";
  for (size_t p; (p = sql.find("%BLOB%")) != std::string::npos;) sql.replace(p, 6, blob);
  return sql;
}

}  // namespace

const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration> kAll = {
      {1, "tenants and access", Dialect(kV1, false), Dialect(kV1, true)},
      {2, "transparency log", Dialect(kV2, false), Dialect(kV2, true)},
      {3, "characters and certificates", Dialect(kV3, false), Dialect(kV3, true)},
      {4, "works and rights", Dialect(kV4, false), Dialect(kV4, true)},
      {5, "certification authority", Dialect(kV5, false), Dialect(kV5, true)},
      {6, "agreements, transfers and licences", Dialect(kV6, false), Dialect(kV6, true)},
      {7, "revenue, settlement runs, ledger and statements", V7(false), V7(true)},
      {8, "log storage: entry bundles, edge tiles", V8(false), V8(true)},
  };
  return kAll;
}

}  // namespace vt::app
