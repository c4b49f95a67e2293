// Version 7: revenue lines, settlement runs, the double-entry ledger and signed
// statements (docs/settlement.md, "Ledger" and "Statements"). Revenue
// lines are unique per (org, idempotency key): a replay is recognized, never
// counted twice. batch_seq orders imports; a run records the last batch it saw
// (through_batch), so the lines it settled can be listed again for verification.
// Ledger rows are immutable: triggers refuse UPDATE and DELETE in both dialects
// (dialect-specific, appended by V7); corrections are reversing transfers.
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

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

}  // namespace

store::Migration V007RevenueSettlementLedger() {
  return {7, "revenue, settlement runs, ledger and statements", V7(false), V7(true)};
}

}  // namespace vt::app::migrations
