// Settlement runs and the double-entry ledger that records them (issue 5 item 3;
// docs/settlement.md, "Settlement runs and the ledger").
//
// A run settles one agreement for one period (YYYY-MM) with the agreement's
// version in force (its hash is recorded), the period's revenue lines of the
// agreement's organization for the agreement's work and currency, and the state
// of the latest active run of an earlier period (cumulative bases). Periods are
// settled in order: a run for a period that has an active run is refused
// (AlreadyExists) unless it is a correction, and only the latest settled period
// may be corrected (its transfers are reversed, the old run marked corrected,
// and a new run made with the lines known now).
//
// Ledger (one per currency): accounts revenue:<agreement>:<CUR> (the outside
// world: goes negative by what was received), collection:<agreement>:<CUR>,
// payable:<agreement>:<payee>:<CUR> and hold:<agreement>:<payee>:<CUR>. A transfer
// moves a positive amount from its debit account to its credit account; balance =
// credits - debits. A run posts revenue -> collection (net receipts) and
// collection -> payable per payee, so collection nets to zero in every run; the
// run is checked to be balanced inside its transaction. Ledger rows are never
// updated or deleted (database triggers refuse it); corrections are reversing
// transfers, holds move a payee's amount to its hold account and back.
//
// Every change is one transaction with its log entries: settlement.run,
// ledger.reversal, statement.issued (one per payee), settlement.hold,
// settlement.release. Thread-safe: no mutable state besides the lazily opened
// statement key (guarded).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/rng.h"
#include "app/access/service.h"
#include "app/money/statements.h"
#include "settlement/engine.h"
#include "settlement/terms.h"

namespace vt::app {

// ---- Double-entry primitives (also used by bench/ledger_bench) ----

struct LedgerAccount {
  std::string id;
  std::string kind;  // revenue | collection | payable | hold
  std::string agreement_id;
  std::string payee;  // payable and hold accounts
  std::string currency;
};
LedgerAccount RevenueAccount(const std::string& agreement_id, const std::string& currency);
LedgerAccount CollectionAccount(const std::string& agreement_id, const std::string& currency);
LedgerAccount PayableAccount(const std::string& agreement_id, const std::string& payee,
                             const std::string& currency);
LedgerAccount HoldAccount(const std::string& agreement_id, const std::string& payee,
                          const std::string& currency);

struct Transfer {
  std::string id;  // "<run id>/<seq>"
  std::string run_id;
  int64_t seq = 0;
  std::string kind;  // receipt | settlement | reversal | hold | release
  std::string debit_account;
  std::string credit_account;
  int64_t amount = 0;  // > 0
  std::string currency;
  std::string reverses;  // id of the reversed transfer (kind reversal)
  Json ToJson() const;
};

// Inserts accounts that do not exist yet (ON CONFLICT DO NOTHING).
Status EnsureAccounts(store::Conn& c, const std::string& org_id,
                      const std::vector<LedgerAccount>& accounts, const std::string& now);
// Appends transfers (multi-row INSERTs). InvalidArgument if an amount is not > 0.
Status PostTransfers(store::Conn& c, const std::vector<Transfer>& transfers,
                     const std::string& now);
// A run's transfers, by seq.
StatusOr<std::vector<Transfer>> RunTransfers(store::Conn& c, const std::string& run_id);
// Balance (credits - debits) per account over `transfers`.
std::map<std::string, int64_t> Balances(const std::vector<Transfer>& transfers);
// Reads the run's transfers back and checks sum(debits) == sum(credits) per
// currency and that `collection` nets to zero. Internal error otherwise.
Status CheckRunBalanced(store::Conn& c, const std::string& run_id, const std::string& collection);

// ---- Settlement runs ----

struct RunRecord {
  std::string id;  // "run_..."
  std::string org_id;
  std::string agreement_id;
  std::string agreement_hash;
  std::string period;
  std::string currency;
  std::string status;    // active | corrected
  std::string corrects;  // the run this one corrects, or empty
  int64_t through_batch = 0;
  int64_t line_count = 0;
  int64_t net_receipts = 0;
  std::string lines_sha256;
  Json summary;  // settlement::SummaryJson, parsed
  std::string created_at;
  std::optional<int64_t> log_index;
  Json ToJson() const;
};

// The version in force of an agreement (fixed columns of migration 6): hash,
// canonical document, parsed terms, and the agreement's organization.
struct InForce {
  std::string org_id;
  std::string hash;
  std::string document;  // canonical JSON
  settlement::Agreement terms;
};
StatusOr<InForce> LoadInForce(store::Conn& c, const std::string& agreement_id);
StatusOr<InForce> LoadVersionByHash(store::Conn& c, const std::string& hash);

class Settlements {
 public:
  // `svc` and `rng` must outlive this object.
  Settlements(Service& svc, Rng& rng) : svc_(svc), rng_(rng) {}

  // Settles `agreement_id` for `period` (see the file comment). InvalidArgument
  // (field "period") for a bad period; NotFound for an unknown or unreadable
  // agreement; FailedPrecondition if no version is in force, a later period is
  // settled, or a correction has nothing to correct; AlreadyExists if the period
  // is settled and this is not a correction; PermissionDenied for auditors.
  StatusOr<Written<RunRecord>> Run(const Principal& p, const std::string& agreement_id,
                                   const std::string& period, bool correction);
  StatusOr<RunRecord> Get(const Principal& p, const std::string& run_id);
  // The run's transfers and the balance of each account they touch.
  StatusOr<Json> Ledger(const Principal& p, const std::string& run_id);
  // Moves the payee's amount of an active run to its hold account (reason 1-500
  // chars). NotFound if the payee got nothing positive; AlreadyExists if held.
  StatusOr<Written<Json>> Hold(const Principal& p, const std::string& run_id,
                               const std::string& payee, const std::string& reason);
  // Moves a held amount back. FailedPrecondition if the payee's share is not held.
  StatusOr<Written<Json>> Release(const Principal& p, const std::string& run_id,
                                  const std::string& payee);
  // The signed statement envelope (JSON) or the statement CSV of a payee.
  StatusOr<Json> StatementEnvelope(const Principal& p, const std::string& run_id,
                                   const std::string& payee);
  StatusOr<std::string> StatementCsvOf(const Principal& p, const std::string& run_id,
                                       const std::string& payee);
  // What `settle verify` needs: the agreement version document and the CSV of the
  // lines of every period up to the run's, as the runs counted them.
  StatusOr<std::string> VersionDocument(const Principal& p, const std::string& run_id);
  StatusOr<std::string> LinesCsv(const Principal& p, const std::string& run_id);
  // The operator's statement key (public part).
  StatusOr<Json> StatementKeyJson();

 private:
  StatusOr<StatementKey*> Key();
  Service& svc_;
  Rng& rng_;
  std::mutex key_mu_;
  std::unique_ptr<StatementKey> key_;  // guarded by key_mu_
};

}  // namespace vt::app
