// log_bench: the transparency log's write path with fsync on (docs/tlog.md).
//
//   log_bench [--dir DIR] [--seconds S] [--proof-size N] [--no-db-proof] [--keep]
//
// In fresh data directories under DIR (default: the current directory; it must be
// on the real disk, not tmpfs) it measures, with the production SQLite settings
// (WAL, synchronous=FULL):
//   - sustained appends through Service::Write (the group-commit writer and the
//     log sequencer; each Write() returns after its batch is durable and carries a
//     receipt with the signed checkpoint), 1 client and many concurrent clients,
//     with a minimal log-only write and with CreateOrg (a registry row + entry);
//   - the same through the HTTP API (POST /v1/orgs, httplib keep-alive clients);
//   - latency from append to signed checkpoint (= Write() or request time), p50/p99;
//   - inclusion proofs at 10^7 entries (synthetic tree) and tile reads per proof;
//   - storage bytes per entry beyond the entry bytes (SQLite dbstat per table);
// and prints the anchors (SHA-256 rate, fsync latency) of the same run.
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "api/routes.h"
#include "api/server.h"
#include "app/access/service.h"
#include "app/core/domain_names.h"
#include "bench/log_bench.h"
#include "server/root.h"

namespace vt::bench {
namespace {

struct Run {
  int64_t ops = 0;
  double seconds = 0;
  std::vector<double> lat_ms;
  int64_t errors = 0;
  std::string first_error;
  double Rate() const { return static_cast<double>(ops) / seconds; }
};

// Runs `op(client, i)` from `clients` threads for `seconds`; op returns "" on
// success, else the error.
Run Drive(int clients, double seconds, const std::function<std::string(int, int64_t)>& op) {
  std::mutex mu;
  Run run;
  auto t0 = Steady::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> lat;
      int64_t errors = 0;
      std::string error;
      for (int64_t i = 0; SecondsSince(t0) < seconds; ++i) {
        auto t = Steady::now();
        std::string e = op(c, i);
        if (e.empty()) {
          lat.push_back(SecondsSince(t) * 1e3);
        } else if (errors++ == 0) {
          error = e + " (at " + std::to_string(SecondsSince(t0)) + " s)";
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      if (run.first_error.empty()) run.first_error = error;
      run.ops += static_cast<int64_t>(lat.size());
      run.errors += errors;
      run.lat_ms.insert(run.lat_ms.end(), lat.begin(), lat.end());
    });
  }
  for (auto& t : threads) t.join();
  run.seconds = SecondsSince(t0);
  return run;
}

void Print(const std::string& what, Run& r) {
  double p50 = Percentile(r.lat_ms, 50), p99 = Percentile(r.lat_ms, 99);
  std::printf("  %-44s %9.0f entries/s   p50 %7.2f ms   p99 %7.2f ms\n", what.c_str(), r.Rate(),
              p50, p99);
  if (r.errors)
    std::printf("    %lld errors, e.g. %s\n", static_cast<long long>(r.errors),
                r.first_error.c_str());
  std::fflush(stdout);
}

[[noreturn]] void Die(const Status& s, const char* what) {
  std::fprintf(stderr, "log_bench: %s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

std::unique_ptr<server::Components> OpenFresh(const std::string& dir, std::string* token) {
  app::Config cfg;
  cfg.log_origin = "bench.example/log";
  auto init = server::InitDataDir(dir, cfg, SystemClock::Get(), SystemRng::Get());
  if (!init.ok()) Die(init.status(), "init");
  if (token) *token = init->token_secret;
  auto svc = server::OpenComponents(dir, SystemClock::Get(), SystemRng::Get());
  if (!svc.ok()) Die(svc.status(), "open");
  return std::move(*svc);
}

// A log entry shaped like org.registered (about 300 bytes of JCS JSON).
std::string Entry(int client, int64_t i) {
  std::string id = "org_bench" + std::to_string(client) + "x" + std::to_string(i);
  auto e = app::MakeEntry("bench.appended", 1, SystemClock::Get(),
                          {"org_0123456789abcdefghij", "mem_0123456789abcdefghij"}, {{"org", id}},
                          {{"id", id},
                           {"name", "bench " + id},
                           {"kind", "studio"},
                           {"created_at", "2026-01-01T00:00:00Z"}});
  if (!e.ok()) Die(e.status(), "entry");
  return *e;
}

struct Storage {
  int64_t entries = 0, entry_bytes = 0, db_bytes = 0, log_bytes = 0;
  std::string breakdown;  // bytes/entry per table and index
};

// Sizes from SQLite's dbstat (pages of the log tables and their indexes).
Storage MeasureStorage(app::Service& svc) {
  auto s = svc.Read<Storage>([](store::Conn& c) -> StatusOr<Storage> {
    Storage st;
    VT_RETURN_IF_ERROR(c.Exec("PRAGMA wal_checkpoint(TRUNCATE)").status());
    // Entries are loose rows (the last, incomplete bundle) or full bundles of 256
    // (each entry behind a 2-byte length, counted as overhead).
    VT_ASSIGN_OR_RETURN(auto r, c.QueryOne("SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) "
                                           "FROM log_entries"));
    VT_ASSIGN_OR_RETURN(auto b, c.QueryOne("SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) "
                                           "FROM log_bundles"));
    st.entries = r.Int(0) + 256 * b.Int(0);
    st.entry_bytes = r.Int(1) + b.Int(1) - 2 * 256 * b.Int(0);
    VT_ASSIGN_OR_RETURN(auto all, c.QueryOne("SELECT SUM(pgsize) FROM dbstat"));
    st.db_bytes = all.Int(0);
    VT_ASSIGN_OR_RETURN(
        auto log,
        c.QueryOne("SELECT SUM(pgsize) FROM dbstat WHERE name IN "
                   "(SELECT name FROM sqlite_master WHERE tbl_name IN "
                   "('log_entries','log_bundles','log_tiles','log_edge_tiles','log_state'))"));
    st.log_bytes = log.Int(0);
    VT_ASSIGN_OR_RETURN(
        auto parts,
        c.Query("SELECT name, SUM(pgsize) FROM dbstat WHERE name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name IN "
                "('log_entries','log_bundles','log_tiles','log_edge_tiles')) GROUP BY name"));
    for (const auto& p : parts) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "%s%s %.1f", st.breakdown.empty() ? "" : ", ",
                    p.Text(0).c_str(),
                    static_cast<double>(p.Int(1)) / static_cast<double>(st.entries));
      st.breakdown += buf;
    }
    return st;
  });
  if (!s.ok()) Die(s.status(), "storage");
  return *s;
}

Run HttpRun(server::Components& components, const std::string& token, int clients, double seconds) {
  auto router = server::BuildRouter(components);
  api::ServerOptions o;
  o.port = 0;
  o.threads = clients + 8;  // httplib: one worker per keep-alive connection
  o.access_log = "off";
  auto server = api::Server::Bind(*router, o);
  if (!server.ok()) Die(server.status(), "bind");
  std::thread serving([&] { (*server)->Run().IgnoreError(); });
  const int port = (*server)->port();
  std::vector<std::unique_ptr<httplib::Client>> conns;
  for (int c = 0; c < clients; ++c) {
    conns.push_back(std::make_unique<httplib::Client>("127.0.0.1", port));
    conns.back()->set_keep_alive(true);
    conns.back()->set_tcp_nodelay(true);
    conns.back()->set_read_timeout(60, 0);
    conns.back()->set_bearer_token_auth(token);
  }
  Run r = Drive(clients, seconds, [&](int c, int64_t i) {
    std::string body = R"({"name":"http-)" + std::to_string(clients) + "-" + std::to_string(c) +
                       "-" + std::to_string(i) + "\"}";
    auto res = conns[c]->Post("/v1/orgs", body, "application/json");
    if (!res) return "transport: " + httplib::to_string(res.error());
    return res->status == 201 ? std::string() : std::to_string(res->status) + " " + res->body;
  });
  conns.clear();
  (*server)->Stop();
  serving.join();
  return r;
}

}  // namespace
}  // namespace vt::bench

int main(int argc, char** argv) {
  using namespace vt;
  using namespace vt::bench;
  std::string base = ".";
  double seconds = 10;
  int64_t proof_size = 10'000'000;
  bool db_proof = true, keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--dir")
      base = next();
    else if (a == "--seconds")
      seconds = std::stod(next());
    else if (a == "--proof-size")
      proof_size = std::stoll(next());
    else if (a == "--no-db-proof")
      db_proof = false;
    else if (a == "--keep")
      keep = true;
    else {
      std::fprintf(stderr,
                   "usage: log_bench [--dir DIR] [--seconds S] [--proof-size N] "
                   "[--no-db-proof] [--keep]\n");
      return 2;
    }
  }
  std::string dir = base + "/log_bench." + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  std::printf("log_bench: data in %s, %.0f s per run, %u cores\n", dir.c_str(), seconds,
              std::thread::hardware_concurrency());
  Anchors an = MeasureAnchors(dir);
  std::printf(
      "anchors: SHA-256 (64-byte inputs) %.2f M/s; fdatasync after a 4 KiB write in "
      "place: p50 %.3f ms, mean %.3f ms (%.0f/s); after a 4 KiB append (file grows, like "
      "a WAL): p50 %.3f ms, mean %.3f ms (%.0f/s)\n",
      an.sha256_per_s / 1e6, an.fsync_p50_ms, an.fsync_mean_ms, 1e3 / an.fsync_mean_ms,
      an.append_fsync_p50_ms, an.append_fsync_mean_ms, 1e3 / an.append_fsync_mean_ms);

  std::printf("appends (fsync on; each Write returns with its receipt and signed checkpoint):\n");
  auto svc = OpenFresh(dir + "/logonly", nullptr);
  auto minimal = [&](int c, int64_t i) {
    std::string e = Entry(c, i);
    auto w = svc->service().Write([&](app::WriteContext& ctx) {
      ctx.AppendLog(std::move(e));
      return OkStatus();
    });
    return w.ok() ? std::string() : w.status().ToString();
  };
  double best = 0;
  for (int clients : {1, 16, 256, 1024}) {
    Run r = Drive(clients, clients == 1 ? std::min(seconds, 5.0) : seconds, minimal);
    Print("Service::Write, log entry only, " + std::to_string(clients) + " clients", r);
    best = std::max(best, r.Rate());
  }
  Storage st = MeasureStorage(svc->service());
  svc.reset();

  std::string token;
  svc = OpenFresh(dir + "/orgs", &token);
  auto principal = svc->service().LocalPrincipal();
  if (!principal.ok()) Die(principal.status(), "principal");
  for (int clients : {1, 256}) {
    Run r = Drive(clients, clients == 1 ? std::min(seconds, 5.0) : seconds, [&](int c, int64_t i) {
      auto w = svc->service().CreateOrg(
          *principal,
          "org-" + std::to_string(clients) + "-" + std::to_string(c) + "-" + std::to_string(i),
          app::OrgKind::kStudio);
      return w.ok() ? std::string() : w.status().ToString();
    });
    Print("Service::CreateOrg, " + std::to_string(clients) + " clients", r);
  }
  for (int clients : {32, 256}) {
    Run http = HttpRun(*svc, token, clients, seconds);
    Print("HTTP POST /v1/orgs, " + std::to_string(clients) + " keep-alive clients", http);
  }
  svc.reset();

  double payload = static_cast<double>(st.entry_bytes) / static_cast<double>(st.entries);
  double overhead =
      static_cast<double>(st.log_bytes - st.entry_bytes) / static_cast<double>(st.entries);
  std::printf(
      "storage (log-only data dir, %lld entries, mean entry %.0f bytes): log tables %.1f "
      "bytes/entry = entry + %.1f bytes overhead; whole database %.1f bytes/entry\n",
      static_cast<long long>(st.entries), payload,
      static_cast<double>(st.log_bytes) / static_cast<double>(st.entries), overhead,
      static_cast<double>(st.db_bytes) / static_cast<double>(st.entries));
  std::printf("  bytes/entry by table and index: %s\n", st.breakdown.c_str());

  ProofFigures pf = MeasureProofs(proof_size, dir, db_proof);
  std::printf(
      "proofs at %lld entries (tiles built in %.1f s): inclusion %.2f us in memory, "
      "%.2f us from SQLite; %.2f tile reads/proof (max %lld); consistency %.2f reads/proof\n",
      static_cast<long long>(pf.size), pf.build_s, pf.mem_proof_us, pf.db_proof_us, pf.tile_reads,
      static_cast<long long>(pf.max_tile_reads), pf.consistency_reads);
  std::printf(
      "ratios: best appends/s = %.1f x in-place fsyncs/s = %.1f x appending fsyncs/s; "
      "inclusion proof (memory) = %.0f SHA-256 times\n",
      best * an.fsync_mean_ms / 1e3, best * an.append_fsync_mean_ms / 1e3,
      pf.mem_proof_us * an.sha256_per_s / 1e6);
  std::printf(
      "targets: >= 10000 entries/s sustained: %.0f (%s); <= 5 tile reads/proof: %lld "
      "(%s); <= 40 bytes overhead/entry: %.1f (%s)\n",
      best, best >= 10000 ? "met" : "MISSED", static_cast<long long>(pf.max_tile_reads),
      pf.max_tile_reads <= 5 ? "met" : "MISSED", overhead, overhead <= 40 ? "met" : "MISSED");
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
