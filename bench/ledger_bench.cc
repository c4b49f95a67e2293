// ledger_bench: settlement and ledger throughput (docs/settlement.md). Not a test.
//
//   ledger_bench [--dir DIR] [--pg CONNINFO] [--lines N] [--transfers N] [--batch B]
//                [--e2e-lines N] [--e2e-agreements N] [--skip-e2e]
//
//  (a) allocation, one core, in memory: largest-remainder splits of N revenue lines
//      among 5 weighted parties (AllocateWeightsInto) and settlement::Settle of the
//      same lines, next to the anchors of the same run: a plain loop summing the
//      int64 amounts and memcpy of the same bytes;
//  (b) ledger movements durably committed in batches of B (PostMovements: FK to
//      accounts, immutability triggers, run index), on SQLite (WAL,
//      synchronous=FULL) and on PostgreSQL (--pg; fsync and synchronous_commit on),
//      next to the raw INSERT rate of the same database: a plain table with the
//      same columns and values, same batch size, same commit per batch, written
//      with the same bulk technique and column builder (store/money/ledger_bulk.h);
//  (c) end to end on SQLite through the service: import N revenue lines over M
//      agreements (POST-sized batches of 10,000 lines, one log entry each), then
//      one settlement run per agreement (in-force version, lines, Settle, ledger
//      transfers, signed statements, log entries), from 8 threads (group commit).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "app/access/service.h"
#include "app/money/ledger.h"
#include "app/money/revenue.h"
#include "app/money/settlements.h"
#include "base/encoding.h"
#include "crypto/digest.h"
#include "server/root.h"
#include "settlement/allocate.h"
#include "settlement/concert_testdata.h"
#include "settlement/engine.h"
#include "store/migrations/migrations.h"
#include "store/money/ledger_bulk.h"
#include "store/money/money_repo.h"
#include "store/sql.h"

namespace vt::bench {
namespace {

using Steady = std::chrono::steady_clock;
double Since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

void Die(const Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "ledger_bench: %s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

// ---- (a) allocation ----
void Allocation(int64_t n) {
  std::mt19937_64 rng(42);
  std::vector<int64_t> amounts(n);
  for (auto& a : amounts) a = static_cast<int64_t>(rng() % 10'000'000) - 100'000;
  const int64_t weights[] = {3500, 3000, 1500, 1000, 1000};
  int64_t out[5], totals[5] = {0, 0, 0, 0, 0};
  auto t0 = Steady::now();
  for (int64_t a : amounts) {
    Die(settlement::AllocateWeightsInto(a, weights, out), "allocate");
    for (int i = 0; i < 5; ++i) totals[i] += out[i];
  }
  double alloc_s = Since(t0);
  volatile int64_t sink = totals[0] + totals[4];
  // Anchors over the same data.
  t0 = Steady::now();
  int64_t sum = 0;
  for (int rep = 0; rep < 10; ++rep)
    for (int64_t a : amounts) sum += a ^ rep;
  double sum_s = Since(t0) / 10;
  sink = sink + sum;
  std::vector<int64_t> copy(n);
  t0 = Steady::now();
  for (int rep = 0; rep < 10; ++rep) {
    std::memcpy(copy.data(), amounts.data(), n * sizeof(int64_t));
    sink = sink + copy[rep];
  }
  double copy_s = Since(t0) / 10;
  // settlement::Settle over the same amounts as concert revenue lines.
  auto agreement = settlement::Agreement::Parse(settlement::testdata::kConcertAgreement);
  Die(agreement.status(), "concert agreement");
  std::vector<settlement::RevenueLine> lines(n);
  for (int64_t i = 0; i < n; ++i)
    lines[i] = {"k" + std::to_string(i),
                agreement->work,
                amounts[i] + 100'000,
                "CNY",
                "CN",
                "ticketing",
                "2025-07",
                ""};
  t0 = Steady::now();
  auto s = settlement::Settle(*agreement, {}, "2025-07", lines);
  double settle_s = Since(t0);
  Die(s.status(), "settle");
  std::printf("(a) allocation, 1 core, in memory, %lld lines\n", (long long)n);
  std::printf("  AllocateWeightsInto (5 parties, largest remainder) %12.0f lines/s\n", n / alloc_s);
  std::printf("  settlement::Settle (concert waterfall, 7 payees)   %12.0f lines/s\n",
              n / settle_s);
  std::printf("  anchor: plain loop summing the int64 amounts       %12.0f lines/s\n", n / sum_s);
  std::printf("  anchor: memcpy of the amounts                      %12.0f lines/s (%.1f GB/s)\n",
              n / copy_s, n * 8.0 / copy_s / 1e9);
}

// ---- (b) ledger transfers ----
struct Db {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::Conn> conn;
  std::string schema;  // PostgreSQL: the throw-away schema
};

Db OpenBenchDb(const std::string& kind, const std::string& dir, const std::string& pg) {
  Db d;
  if (kind == "sqlite") {
    std::string path = dir + "/ledger_bench_" + std::to_string(getpid()) + ".db";
    std::filesystem::remove(path);
    auto db = store::OpenSqlite(path);
    Die(db.status(), "open sqlite");
    d.db = std::move(*db);
  } else {
    auto db = store::OpenPostgres(pg);
    Die(db.status(), "open postgres");
    d.db = std::move(*db);
  }
  auto c = d.db->Connect();
  Die(c.status(), "connect");
  d.conn = std::move(*c);
  if (kind == "postgres") {
    d.schema = "vt_ledger_bench_" + std::to_string(getpid());
    Die(d.conn->ExecScript("CREATE SCHEMA " + d.schema + "; SET search_path TO " + d.schema),
        "schema");
  }
  Die(store::Migrate(*d.conn, app::Migrations(), SystemClock::Get()), "migrate");
  Die(d.conn->ExecScript(
          "CREATE TABLE raw_transfers (id TEXT PRIMARY KEY, run_id TEXT NOT NULL, seq BIGINT NOT "
          "NULL, kind TEXT NOT NULL, debit_account TEXT NOT NULL, credit_account TEXT NOT NULL, "
          "amount BIGINT NOT NULL, currency TEXT NOT NULL, reverses TEXT, created_at TEXT NOT "
          "NULL)"),
      "raw table");
  return d;
}

// The anchor uses the technique and the column builder of the ledger's insert
// (store/money/ledger_bulk.h): multi-row INSERTs of kBulkRows rows on SQLite, one
// INSERT ... SELECT FROM unnest(arrays) per batch on PostgreSQL; same rows, same
// batch, same commit.
Status RawInsert(store::Conn& c, const std::vector<app::LedgerMovement>& ts,
                 const std::string& now) {
  if (c.dialect() == store::Dialect::kPostgres) {
    std::vector<store::Value> params{now};
    for (store::Value& v : store::MovementColumnArrays(ts)) params.push_back(std::move(v));
    return c
        .Exec(
            "INSERT INTO raw_transfers SELECT u.*, ?::text FROM unnest(?::text[], ?::text[], "
            "?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[]) u",
            params)
        .status();
  }
  const size_t chunk = store::kBulkRows;
  for (size_t at = 0; at < ts.size(); at += chunk) {
    size_t n = std::min(chunk, ts.size() - at);
    std::string sql =
        "INSERT INTO raw_transfers VALUES " + store::RowPlaceholders(n, "(?,?,?,?,?,?,?,?,?,?)");
    std::vector<store::Value> params;
    params.reserve(n * 10);
    store::AppendMovementRows(ts, at, n, now, &params);
    VT_RETURN_IF_ERROR(c.Exec(sql, params).status());
  }
  return OkStatus();
}

void Transfers(const std::string& kind, const std::string& dir, const std::string& pg,
               int64_t total, int64_t batch) {
  Db d = OpenBenchDb(kind, dir, pg);
  store::Conn& c = *d.conn;
  const std::string now = "2026-11-23T00:00:00Z";
  std::vector<app::LedgerAccount> accounts = {app::CollectionAccount("agr_bench", "CNY")};
  for (int i = 0; i < 1000; ++i)
    accounts.push_back(app::PayableAccount("agr_bench", "p" + std::to_string(i), "CNY"));
  Die(store::InTransaction(c,
                           [&](store::Conn& cc) {
                             return store::NewSqlMoneyRepo(cc)->EnsureAccounts("org_bench",
                                                                               accounts, now);
                           }),
      "accounts");
  auto make = [&](int64_t b) {
    std::vector<app::LedgerMovement> ts(batch);
    std::string run = "run_bench_" + std::to_string(b);
    for (int64_t i = 0; i < batch; ++i)
      ts[i] = {run + "/" + std::to_string(i + 1),
               run,
               i + 1,
               app::MovementKind::kSettlement,
               accounts[0].id,
               accounts[1 + (i % 1000)].id,
               1 + (i * 7919) % 1'000'000,
               "CNY",
               ""};
    return ts;
  };
  double rates[2];
  for (int mode = 0; mode < 2; ++mode) {  // 0: raw anchor first, 1: ledger
    auto t0 = Steady::now();
    for (int64_t b = 0; b < total / batch; ++b) {
      auto ts = make(b);
      Die(store::InTransaction(c,
                               [&](store::Conn& cc) {
                                 return mode ? app::PostMovements(*store::NewSqlMoneyRepo(cc), ts,
                                                                  now)
                                             : RawInsert(cc, ts, now);
                               }),
          mode ? "post transfers" : "raw insert");
    }
    rates[mode] = (total / batch) * batch / Since(t0);
  }
  std::printf("(b) ledger transfers on %s, batches of %lld, %lld transfers, commit per batch\n",
              kind.c_str(), (long long)batch, (long long)total);
  std::printf("  ledger PostMovements (FK, triggers, run index)     %12.0f transfers/s\n",
              rates[1]);
  std::printf("  anchor: raw INSERT, same rows, plain table         %12.0f rows/s\n", rates[0]);
  if (!d.schema.empty()) d.conn->ExecScript("DROP SCHEMA " + d.schema + " CASCADE").IgnoreError();
}

// ---- (c) end to end ----
std::string AgreementDoc(int i, std::string* hash) {
  Json terms = {{"format", "vtrust-agreement/1"},
                {"id", "agr_" + std::to_string(i)},
                {"version", 1},
                {"work", "work-" + std::to_string(i)},
                {"currency", "CNY"},
                {"parties",
                 {{{"id", "platform"}, {"name", "Platform"}},
                  {{"id", "ip"}, {"name", "IP owner"}},
                  {{"id", "studio"}, {"name", "Studio"}},
                  {{"id", "voice"}, {"name", "Voice"}},
                  {{"id", "mocap"}, {"name", "Mocap"}}}},
                {"tiers",
                 {{{"id", "fee"}, {"kind", "fee"}, {"payee", "platform"}, {"rate", {{"bp", 1200}}}},
                  {{"id", "split"},
                   {"kind", "shares"},
                   {"unit", "bp"},
                   {"shares",
                    {{{"payee", "ip"}, {"weight", 4000}},
                     {{"payee", "studio"}, {"weight", 3000}},
                     {{"payee", "voice"}, {"weight", 2000}},
                     {{"payee", "mocap"}, {"weight", 1000}}}}}}}};
  Json doc = {{"type", "vtrust.agreement_version/1"},
              {"agreement", terms["id"]},
              {"version", 1},
              {"previous", nullptr},
              {"work", nullptr},
              {"terms", terms},
              {"parties", Json::array()}};
  std::string canonical = *Canonicalize(doc);
  *hash = HexEncode(crypto::Sha256(canonical));
  return canonical;
}

void EndToEnd(const std::string& dir, int64_t n_lines, int n_agreements) {
  std::string data = dir + "/ledger_bench_e2e_" + std::to_string(getpid());
  std::filesystem::remove_all(data);
  app::Config cfg;
  cfg.log_origin = "bench.example/log";
  Die(server::InitDataDir(data, cfg, SystemClock::Get(), SystemRng::Get()).status(), "init");
  auto svc = server::OpenComponents(data, SystemClock::Get(), SystemRng::Get());
  Die(svc.status(), "open");
  auto p = (*svc)->service().LocalPrincipal();
  Die(p.status(), "principal");
  auto t0 = Steady::now();
  Die((*svc)
          ->service()
          .Write([&](app::WriteContext& ctx) -> Status {
            for (int i = 0; i < n_agreements; ++i) {
              std::string hash, doc = AgreementDoc(i, &hash);
              std::string id = "agr_" + std::to_string(i);
              VT_RETURN_IF_ERROR(ctx.conn()
                                     .Exec("INSERT INTO agreements(id, org_id, title, created_at) "
                                           "VALUES(?,?,?,?)",
                                           {id, p->org_id, "bench", "2026-01-01T00:00:00Z"})
                                     .status());
              VT_RETURN_IF_ERROR(ctx.conn()
                                     .Exec("INSERT INTO agreement_versions(hash, agreement_id, "
                                           "version, document, status, created_at) "
                                           "VALUES(?,?,1,?,'in_force',?)",
                                           {hash, id, doc, "2026-01-01T00:00:00Z"})
                                     .status());
            }
            return OkStatus();
          })
          .status(),
      "agreements");
  double setup_s = Since(t0);
  app::RevenueBook& book = (*svc)->revenue();
  std::mt19937_64 rng(7);
  t0 = Steady::now();
  const int64_t per_request = app::kMaxLinesPerImport;
  for (int64_t at = 0; at < n_lines; at += per_request) {
    std::vector<settlement::RevenueLine> lines;
    for (int64_t i = at; i < std::min(n_lines, at + per_request); ++i)
      lines.push_back({"line-" + std::to_string(i), "work-" + std::to_string(i % n_agreements),
                       static_cast<int64_t>(rng() % 100'000) + 1, "CNY", "CN", "streaming",
                       "2026-10", "ext-" + std::to_string(i)});
    Die(book.Import(*p, std::move(lines)).status(), "import");
  }
  double import_s = Since(t0);
  app::Settlements& runs = (*svc)->settlements();
  std::atomic<int> next{0};
  std::atomic<int64_t> receipts{0};
  t0 = Steady::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i; (i = next++) < n_agreements;) {
        auto r = runs.Run(*p, "agr_" + std::to_string(i), "2026-10", false);
        Die(r.status(), "run");
        receipts += static_cast<int64_t>(r->receipts.size());
      }
    });
  for (auto& t : threads) t.join();
  double run_s = Since(t0);
  int64_t transfers = *(*svc)->service().Read<int64_t>([](store::Conn& c) -> StatusOr<int64_t> {
    VT_ASSIGN_OR_RETURN(auto r, c.QueryOne("SELECT COUNT(*) FROM ledger_transfers"));
    return r.Int(0);
  });
  std::printf("(c) end to end on SQLite: %lld revenue lines over %d agreements\n",
              (long long)n_lines, n_agreements);
  std::printf("  setup (agreement versions in force, one write)    %8.2f s\n", setup_s);
  std::printf("  import (%lld requests of <= 10,000 lines)         %8.2f s  %10.0f lines/s\n",
              (long long)((n_lines + per_request - 1) / per_request), import_s, n_lines / import_s);
  std::printf("  settlement runs (8 threads, group commit)          %8.2f s  %10.0f runs/s\n",
              run_s, n_agreements / run_s);
  std::printf("  total import + runs + ledger                       %8.2f s\n", import_s + run_s);
  std::printf("  ledger transfers %lld, log entries of the runs %lld\n", (long long)transfers,
              (long long)receipts.load());
  svc->reset();
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace vt::bench

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
  std::string dir = ".", pg;
  int64_t lines = 5'000'000, transfers = 500'000, batch = 10'000, e2e_lines = 1'000'000;
  int e2e_agreements = 10'000;
  bool skip_e2e = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--dir")
      dir = next();
    else if (a == "--pg")
      pg = next();
    else if (a == "--lines")
      lines = std::stoll(next());
    else if (a == "--transfers")
      transfers = std::stoll(next());
    else if (a == "--batch")
      batch = std::stoll(next());
    else if (a == "--e2e-lines")
      e2e_lines = std::stoll(next());
    else if (a == "--e2e-agreements")
      e2e_agreements = std::stoi(next());
    else if (a == "--skip-e2e")
      skip_e2e = true;
    else {
      std::fprintf(stderr,
                   "usage: ledger_bench [--dir DIR] [--pg CONNINFO] [--lines N] "
                   "[--transfers N] [--batch B] [--e2e-lines N] [--e2e-agreements M] "
                   "[--skip-e2e]\n");
      return 2;
    }
  }
  vt::bench::Allocation(lines);
  vt::bench::Transfers("sqlite", dir, "", transfers, batch);
  if (!pg.empty())
    vt::bench::Transfers("postgres", dir, pg, transfers, batch);
  else
    std::printf("(b) PostgreSQL: skipped (no --pg)\n");
  if (!skip_e2e) vt::bench::EndToEnd(dir, e2e_lines, e2e_agreements);
  return 0;
}
