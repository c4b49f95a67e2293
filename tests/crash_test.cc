// Crash safety of the store (docs/api.md): a write acknowledged to a client survives
// `kill -9` of the server.
//
// Each trial runs several client threads that create organizations and members as
// fast as the server answers, for a random short time; every 2xx answer is
// recorded. The server is then killed with SIGKILL at that random moment, restarted
// on the same data directory (it must open cleanly and answer /healthz), and every
// acknowledged object must be there. The restarted server serves the next trial, so
// the data directory lives through every crash of the run.
//
// VTRUST_CRASH_TRIALS sets the number of trials (default 20; the `crash_test_long`
// CTest entry runs 200). VTRUST_CRASH_SEED replays a run (the seed is printed).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "base/encoding.h"
#include "base/rng.h"
#include "store/sql.h"
#include "tests/harness.h"

namespace vt::testing {
namespace {

struct Acked {
  std::mutex mu;
  std::map<std::string, std::string> orgs;               // id -> name
  std::map<std::string, std::set<std::string>> members;  // org id -> member ids
  size_t count = 0;
};

// One client: creates an organization, then a member in it, until told to stop or
// the server stops answering.
void Client(int port, const std::string& token, const std::string& prefix,
            const std::atomic<bool>& stop, Acked* acked) {
  Api api("127.0.0.1", port, token);
  for (int i = 0; !stop.load(); ++i) {
    std::string name = prefix + "-" + std::to_string(i);
    HttpReply r = api.Post("/v1/orgs", {{"name", name}});
    if (r.status == 0) return;  // the server is gone
    if (r.status / 100 != 2) {
      ADD_FAILURE() << "unexpected answer while crashing: " << r.Describe();
      return;
    }
    std::string org = r.json()["id"].get<std::string>();
    {
      std::lock_guard<std::mutex> lock(acked->mu);
      acked->orgs[org] = name;
      ++acked->count;
    }
    r = api.Post("/v1/orgs/" + org + "/members", {{"name", "m-" + name}, {"role", "member"}});
    if (r.status == 0) return;
    if (r.status / 100 != 2) {
      ADD_FAILURE() << "unexpected answer while crashing: " << r.Describe();
      return;
    }
    std::lock_guard<std::mutex> lock(acked->mu);
    acked->members[org].insert(r.json()["id"].get<std::string>());
    ++acked->count;
  }
}

// Checks that every acknowledged object is served by `srv`.
void VerifyAcked(ServerProcess& srv, const std::string& token, const Acked& acked, int trial) {
  Api api = srv.Client(token);
  HttpReply r = api.Get("/v1/orgs");
  ASSERT_EQ(r.status, 200) << r.Describe();
  std::map<std::string, std::string> stored;
  Json list = r.json();
  for (const auto& o : list["orgs"]) stored[o["id"].get<std::string>()] = o["name"];
  for (const auto& [id, name] : acked.orgs) {
    auto it = stored.find(id);
    ASSERT_NE(it, stored.end()) << "trial " << trial << ": acknowledged org " << id << " (" << name
                                << ") lost after kill -9";
    EXPECT_EQ(it->second, name) << id;
  }
  for (const auto& [org, ids] : acked.members) {
    HttpReply m = api.Get("/v1/orgs/" + org + "/members");
    ASSERT_EQ(m.status, 200) << m.Describe();
    std::set<std::string> have;
    Json ml = m.json();
    for (const auto& x : ml["members"]) have.insert(x["id"].get<std::string>());
    for (const auto& id : ids)
      EXPECT_TRUE(have.count(id)) << "trial " << trial << ": acknowledged member " << id << " of "
                                  << org << " lost after kill -9";
  }
}

int Trials() {
  std::string env = Env("VTRUST_CRASH_TRIALS");
  return env.empty() ? 20 : std::max(1, std::atoi(env.c_str()));
}

// The crash run on a data directory initialized with `init_extra` (e.g.
// {"--database", URL} for PostgreSQL).
void RunCrashTrials(const std::vector<std::string>& init_extra) {
  const int trials = Trials();
  std::string seed_env = Env("VTRUST_CRASH_SEED");
  uint64_t seed = seed_env.empty() ? std::random_device{}() : std::stoull(seed_env);
  std::printf("crash_test: %d trials, VTRUST_CRASH_SEED=%llu\n", trials,
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);

  TempDir tmp;
  std::string dir = tmp.Sub("data");
  auto init = InitDataDir(dir, init_extra);
  ASSERT_TRUE(init);
  const std::vector<std::string> serve_args = {"--access-log", "off"};
  std::string error;
  auto srv = ServerProcess::Start(dir, serve_args, &error);
  ASSERT_TRUE(srv) << error;

  Acked all;  // every acknowledged write of the run: checked again at the end
  for (int trial = 0; trial < trials; ++trial) {
    Acked acked;  // this trial's, checked right after its crash
    SCOPED_TRACE("trial " + std::to_string(trial) + " seed " + std::to_string(seed));
    int threads = 2 + static_cast<int>(rng() % 4);
    auto run_for = std::chrono::milliseconds(20 + rng() % 300);
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t)
      clients.emplace_back(Client, srv->port(), init->token,
                           "t" + std::to_string(trial) + "c" + std::to_string(t), std::cref(stop),
                           &acked);
    std::this_thread::sleep_for(run_for);
    srv->Kill9();
    stop = true;
    for (auto& c : clients) c.join();
    ASSERT_FALSE(::testing::Test::HasFailure());

    srv = ServerProcess::Start(dir, serve_args, &error);
    ASSERT_TRUE(srv) << "restart after kill -9 failed: " << error;
    ASSERT_NO_FATAL_FAILURE(VerifyAcked(*srv, init->token, acked, trial));
    all.orgs.insert(acked.orgs.begin(), acked.orgs.end());
    for (auto& [org, ids] : acked.members) all.members[org].insert(ids.begin(), ids.end());
    all.count += acked.count;
  }
  // Nothing acknowledged earlier was lost by a later crash either.
  ASSERT_NO_FATAL_FAILURE(VerifyAcked(*srv, init->token, all, trials));
  std::printf("crash_test: %zu acknowledged writes checked after %d crashes\n", all.count, trials);
  EXPECT_GT(all.count, 0u) << "no write was ever acknowledged: the test proved nothing";
  // A clean stop, then the data directory still opens in local mode.
  EXPECT_EQ(srv->Stop(), 0) << srv->Stderr();
  CliResult c = RunCli({"--data", dir, "org", "list", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_GE(c.json()["orgs"].size(), all.orgs.size() + 1);
}

TEST(CrashTest, AcknowledgedWritesSurviveKill9) { RunCrashTrials({}); }

// "host=H port=P dbname=D user=U [password=W]" -> fields.
std::map<std::string, std::string> ParseConninfo(const std::string& conninfo) {
  std::map<std::string, std::string> kv;
  std::istringstream in(conninfo);
  std::string word;
  while (in >> word) {
    size_t eq = word.find('=');
    if (eq != std::string::npos) kv[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return kv;
}

// The same on PostgreSQL (VTRUST_TEST_PG, see scripts/with-postgres.sh), on a
// fresh database: an acknowledged write must be committed (and synced) by the
// PostgreSQL server before vtrust answers, so kill -9 of `vtrust serve` loses
// nothing acknowledged.
TEST(CrashTest, AcknowledgedWritesSurviveKill9OnPostgres) {
  std::string conninfo = Env("VTRUST_TEST_PG");
  if (conninfo.empty()) {
    if (Env("VTRUST_REQUIRE_PG") == "1")
      FAIL() << "VTRUST_REQUIRE_PG=1 but VTRUST_TEST_PG is unset (use scripts/with-postgres.sh)";
    GTEST_SKIP() << "VTRUST_TEST_PG is not set";
  }
  auto kv = ParseConninfo(conninfo);
  ASSERT_TRUE(kv.count("host") && kv.count("port") && kv.count("user")) << conninfo;
  uint8_t raw[6];
  SystemRng::Get().Fill(raw, sizeof raw);
  std::string db = "vt_crash_" + HexEncode(std::string(reinterpret_cast<char*>(raw), sizeof raw));
  auto admin_exec = [&](const std::string& sql) -> Status {
    VT_ASSIGN_OR_RETURN(auto admin, store::OpenPostgres(conninfo));
    VT_ASSIGN_OR_RETURN(auto conn, admin->Connect());
    return conn->Exec(sql).status();
  };
  Status created = admin_exec("CREATE DATABASE " + db);
  ASSERT_TRUE(created.ok()) << created.ToString();
  std::string url = "postgresql://" + kv["user"] +
                    (kv.count("password") ? ":" + kv["password"] : "") + "@" + kv["host"] + ":" +
                    kv["port"] + "/" + db;
  RunCrashTrials({"--database", url});
  Status dropped = admin_exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  EXPECT_TRUE(dropped.ok()) << dropped.ToString();
}

}  // namespace
}  // namespace vt::testing
