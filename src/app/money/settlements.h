// Settlement runs over the double-entry ledger (ledger.h; docs/settlement.md,
// "Settlement runs and the ledger").
//
// A run settles one agreement for one period (YYYY-MM) with the agreement's
// version in force (its hash is recorded), the period's revenue lines of the
// agreement's organization for the agreement's work and currency, and the state
// of the latest active run of an earlier period (cumulative bases). Periods are
// settled in order: a run for a period that has an active run is refused
// (AlreadyExists) unless it is a correction, and only the latest settled period
// may be corrected (its movements are reversed, the old run marked corrected,
// and a new run made with the lines known now).
//
// A run posts revenue -> collection (net receipts) and collection -> payable per
// payee, so collection nets to zero in every run; the run is checked to be
// balanced inside its transaction. Holds move a payee's amount to its hold
// account and back.
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

#include "app/access/service.h"
#include "app/money/ledger.h"
#include "app/money/statements.h"
#include "base/clock.h"
#include "base/rng.h"
#include "settlement/engine.h"
#include "settlement/terms.h"
#include "store/money/money_repo.h"

namespace vt::app {

using store::RunStatus;

// ---- Settlement runs ----

// A settlement run as the API shows it (ToJson; the status as its stored name).
struct RunRecord {
  std::string id;  // "run_..."
  std::string org_id;
  std::string agreement_id;
  std::string agreement_hash;
  std::string period;
  std::string currency;
  RunStatus status = RunStatus::kActive;
  std::string corrects;  // the run this one corrects, or empty
  int64_t through_batch = 0;
  int64_t line_count = 0;
  int64_t net_receipts = 0;
  std::string lines_sha256;
  Json summary;  // settlement::SummaryJson, parsed (a party sees only its own payees)
  std::string created_at;
  std::optional<int64_t> log_index;
  // Revenue of the period this run did not settle (UnsettledRevenue; Get fills
  // it in the full view), or null.
  Json unsettled;
  Json ToJson() const;
};

// How a principal may see a settlement run: not at all; fully (the agreement's
// organization and the operator); or as a party named in the run's agreement
// version (the run with its own payees only, its own statements, and what
// `settle verify` needs: the version document and the lines).
enum class RunView { kNone, kFull, kParty };
StatusOr<RunView> ViewOfRun(store::MoneyReader& repo, const Principal& p,
                            const store::SettlementRunRow& run);
// The payee ids that stand for `p`: its member id and its organization's id.
std::vector<std::string> PayeeIdsOf(const Principal& p);

// What the period's revenue held besides the lines a run counted: lines of the
// agreement's work outside its scope or in other currencies, and lines of the
// organization whose work no agreement of it settles ("unmatched"). JSON:
//   {"out_of_scope": {"lines", "amount"}, "other_currencies": [{"currency",
//    "lines", "amount"}], "unmatched": [{"currency", "lines", "amount"}]}
StatusOr<Json> UnsettledRevenue(store::MoneyReader& repo, const store::SettlementRunRow& run,
                                const settlement::Agreement& terms);

// The version in force of an agreement (fixed columns of migration 6): hash,
// canonical document, parsed terms, and the agreement's organization.
struct InForce {
  std::string org_id;
  std::string hash;
  std::string document;  // canonical JSON
  settlement::Agreement terms;
};
// The version in force of `agreement_id`: NotFound (field "agreement_id") for an
// unknown agreement, FailedPrecondition if no version is in force, Internal if
// the stored document does not parse.
StatusOr<InForce> LoadInForce(store::MoneyReader& repo, const std::string& agreement_id);
// The version with `hash`, or NotFound.
StatusOr<InForce> LoadVersionByHash(store::MoneyReader& repo, const std::string& hash);

// ---- The settlement run use case (settlements_runs.cc) ----

// What to settle.
struct RunRequest {
  std::string run_id;  // "run_...", chosen by the caller
  std::string agreement_id;
  std::string period;  // YYYY-MM
  bool correction = false;
};

// Checks that `p` may run settlements and that the period is a month:
// PermissionDenied for auditors, InvalidArgument (field "period") otherwise.
Status AuthorizeRun(const Principal& p, const std::string& period);

// A run made: its record (log_index not yet known) and the payees whose
// statements were issued, in the order of their log entries.
struct RunOutcome {
  RunRecord run;
  std::vector<std::string> payees;
};

// The run's transaction (see the file comment), through `repo`: loads the
// inputs, settles, posts the movements, checks the run balanced, signs the
// statements with `key`, and appends the log entries to `log` in order
// ([ledger.reversal], settlement.run, statement.issued per payee). Fails as
// Settlements::Run; on failure the caller discards the transaction.
StatusOr<RunOutcome> SettleRun(store::MoneyWriter& repo, const Principal& p, const RunRequest& req,
                               const StatementKey& key, const Clock& clock,
                               std::vector<std::string>* log);

// Records the log indexes of a run's entries, given the receipts of its
// transaction in log order.
Status RecordRunLogIndexes(store::MoneyWriter& repo, const RunOutcome& outcome,
                           const std::vector<Json>& receipts);

// ---- Holds (settlements_holds.cc) ----

// Moves the payee's settled amount of an active run to its hold account and
// appends the settlement.hold entry to `log`; the result JSON as the API shows
// it. Errors as Settlements::Hold (authorization aside).
StatusOr<Json> HoldShare(store::MoneyWriter& repo, const Principal& p, const std::string& run_id,
                         const std::string& payee, const std::string& reason, const Clock& clock,
                         std::vector<std::string>* log);
// Moves a held amount back and appends settlement.release. Errors as
// Settlements::Release (authorization aside).
StatusOr<Json> ReleaseShare(store::MoneyWriter& repo, const Principal& p, const std::string& run_id,
                            const std::string& payee, const Clock& clock,
                            std::vector<std::string>* log);

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
  // The run (as RunView allows) with, in the full view, its unsettled revenue
  // (UnsettledRevenue: it reads every line of the organization for the period, so
  // Run does not compute it); NotFound if `p` may not see it.
  StatusOr<RunRecord> Get(const Principal& p, const std::string& run_id);
  // The runs `p` may see in full (its organization's; every run for the
  // operator), of `agreement_id` if not empty, by period.
  StatusOr<std::vector<RunRecord>> List(const Principal& p, const std::string& agreement_id);
  // The statements issued to `payee` across agreements: "me" (or empty) for
  // every id that stands for `p` (PayeeIdsOf), or one of those ids;
  // PermissionDenied (field "payee") for anyone else's. JSON {"payees",
  // "statements": [{"run", "agreement_id", "agreement_hash", "period",
  // "currency", "status", "payee", "amount", "cumulative", "sha256",
  // "log_index", "created_at"}]}.
  StatusOr<Json> StatementsOf(const Principal& p, const std::string& payee);
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
