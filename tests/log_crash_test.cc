// Crash safety of the transparency log (docs/tlog.md, "Crash test"): a `vtrust serve`
// child receives writes from several client threads (each acknowledged write
// carries a receipt) while a poller reads /log/checkpoint; it is killed with
// SIGKILL at a random moment and restarted on the same data directory. After
// each restart:
//   - every acknowledged entry is there: GET /v1/log/entries/{i} gives the
//     receipt's leaf hash (this trial's entries), and the entry bundles hash to
//     the receipts' leaf hashes (every entry of every trial);
//   - every receipt of the trial verifies: the inclusion proof against the
//     receipt's root, the checkpoint's signature with the log's vkey;
//   - the new checkpoint is consistent with every checkpoint served: each one
//     recorded since the previous restart and every earlier post-restart
//     checkpoint (which by transitivity covers all older ones) is checked with a
//     consistency proof from /v1/log/proof/consistency against the roots we
//     recorded; at the end every recorded checkpoint is checked directly;
//   - two checkpoints of the same size never have different roots.
//
// VTRUST_LOG_CRASH_TRIALS sets the number of trials (default 20; the
// `log_crash_test_long` CTest entry runs 200); VTRUST_LOG_CRASH_SEED replays a run.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "tests/harness.h"
#include "tlog/checkpoint.h"
#include "tlog/note_keys.h"
#include "tlog/proof.h"
#include "tlog/tile_path.h"

namespace vt::testing {
namespace {

using tlog::Hash;

constexpr const char* kOrigin = "example.test/crashlog";

struct Record {
  std::mutex mu;
  std::vector<Json> receipts;         // acknowledged, this trial
  std::map<int64_t, Hash> roots;      // every checkpoint seen: size -> root
  std::set<int64_t> since_restart;    // sizes first seen since the last restart
  std::vector<std::string> problems;  // recorded off the main thread
};

// Verifies a signed checkpoint; records (size, root), flagging a second root for
// the same size. Returns the checkpoint (size -1 if it does not verify).
tlog::Checkpoint Observe(const std::string& note, const tlog::NoteVerifiers& log_key, Record* rec) {
  auto v = tlog::OpenCheckpoint(note, kOrigin, log_key);
  std::lock_guard<std::mutex> lock(rec->mu);
  if (!v.ok()) {
    rec->problems.push_back("checkpoint does not verify: " + v.status().ToString());
    return {"", -1, {}, {}};
  }
  const tlog::Checkpoint& c = v->checkpoint;
  auto [it, fresh] = rec->roots.emplace(c.size, c.root);
  if (fresh) rec->since_restart.insert(c.size);
  if (it->second != c.root) rec->problems.push_back("two roots for size " + std::to_string(c.size));
  return c;
}

void Client(int port, const std::string& token, const std::string& prefix,
            const std::atomic<bool>& stop, const tlog::NoteVerifiers& key, Record* rec) {
  Api api("127.0.0.1", port, token);
  for (int i = 0; !stop.load(); ++i) {
    HttpReply r = api.Post("/v1/orgs", {{"name", prefix + "-" + std::to_string(i)}});
    if (r.status == 0) return;  // the server is gone
    Json receipt = r.json().is_object() ? r.json().value("receipt", Json()) : Json();
    if (r.status != 201 || !receipt.is_object()) {
      std::lock_guard<std::mutex> lock(rec->mu);
      rec->problems.push_back("unexpected answer: " + r.Describe());
      return;
    }
    Observe(receipt["checkpoint"].get<std::string>(), key, rec);
    std::lock_guard<std::mutex> lock(rec->mu);
    rec->receipts.push_back(std::move(receipt));
  }
}

void Poller(int port, const std::atomic<bool>& stop, const tlog::NoteVerifiers& key, Record* rec) {
  Api api("127.0.0.1", port);
  while (!stop.load()) {
    HttpReply r = api.Get("/log/checkpoint");
    if (r.status == 0) return;
    if (r.status == 200) Observe(r.body, key, rec);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
}

Hash B64(const Json& j) { return tlog::HashFromBase64(j.get<std::string>()).value(); }

// The receipt's inclusion proof and checkpoint signature.
void VerifyReceipt(const Json& r, const tlog::NoteVerifiers& key) {
  auto cp = tlog::OpenCheckpoint(r["checkpoint"].get<std::string>(), kOrigin, key);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString() << "\n" << r.dump();
  const int64_t index = r["index"], size = r["tree_size"];
  EXPECT_EQ(cp->checkpoint.size, size);
  EXPECT_EQ(cp->checkpoint.root, B64(r["root"]));
  std::vector<Hash> path;
  for (const auto& h : r["hashes"]) path.push_back(B64(h));
  Status s = tlog::VerifyInclusion(index, size, B64(r["leaf_hash"]), path, cp->checkpoint.root);
  EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << r.dump();
}

// Leaf hashes of entries [0, size) from the entry bundles.
std::vector<Hash> LeafHashes(Api& api, int64_t size) {
  std::vector<Hash> out;
  for (int64_t n = 0; n * 256 < size; ++n) {
    int width = static_cast<int>(std::min<int64_t>(256, size - n * 256));
    HttpReply r = api.Get("/log/" + tlog::EntriesPath(n, width));
    EXPECT_EQ(r.status, 200) << r.Describe();
    auto entries = tlog::DecodeEntryBundle(r.body, width);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    if (!entries.ok()) return out;
    for (const auto& e : *entries) out.push_back(tlog::LeafHash(e));
  }
  return out;
}

// Proves with the server's consistency proof that `old_size`/`old_root` (as we
// recorded them) is a prefix of `now`.
void ExpectConsistent(Api& api, int64_t old_size, const Hash& old_root,
                      const tlog::Checkpoint& now) {
  ASSERT_LE(old_size, now.size) << "the log rolled back from " << old_size << " to " << now.size;
  HttpReply r = api.Get("/v1/log/proof/consistency?old=" + std::to_string(old_size) +
                        "&new=" + std::to_string(now.size));
  ASSERT_EQ(r.status, 200) << r.Describe();
  const Json body = r.json();  // (range-for over a temporary's member would dangle)
  std::vector<Hash> proof;
  for (const auto& h : body["hashes"]) proof.push_back(B64(h));
  Status s = tlog::VerifyConsistency(old_size, now.size, proof, old_root, now.root);
  EXPECT_TRUE(s.ok()) << "checkpoint " << old_size << " is not a prefix of " << now.size << ": "
                      << s.ToString();
}

int Trials() {
  std::string env = Env("VTRUST_LOG_CRASH_TRIALS");
  return env.empty() ? 20 : std::max(1, std::atoi(env.c_str()));
}

TEST(LogCrashTest, ReceiptsAndCheckpointsSurviveKill9) {
  const int trials = Trials();
  std::string seed_env = Env("VTRUST_LOG_CRASH_SEED");
  uint64_t seed = seed_env.empty() ? std::random_device{}() : std::stoull(seed_env);
  std::printf("log_crash_test: %d trials, VTRUST_LOG_CRASH_SEED=%llu\n", trials,
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);

  TempDir tmp;
  const std::string dir = tmp.Sub("data");
  auto init = InitDataDir(dir, {"--origin", kOrigin});
  ASSERT_TRUE(init);
  CliResult vk = RunCli({"log", "vkey", "--data", dir});
  ASSERT_EQ(vk.exit_code, 0) << vk.Describe();
  const tlog::NoteVerifiers key = {*tlog::ParseVerifierKey(vk.out.substr(0, vk.out.find('\n')))};
  const std::vector<std::string> args = {"--access-log", "off"};
  std::string error;
  auto srv = ServerProcess::Start(dir, args, &error);
  ASSERT_TRUE(srv) << error;

  Record rec;
  std::map<int64_t, Hash> all_leaves;  // index -> leaf hash, every acknowledged entry
  std::vector<Json> all_receipts;
  std::vector<int64_t> anchors;  // sizes of the checkpoints read right after restarts
  for (int trial = 0; trial < trials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial) + " seed " + std::to_string(seed));
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const int clients = 2 + static_cast<int>(rng() % 5);
    for (int c = 0; c < clients; ++c)
      threads.emplace_back(Client, srv->port(), init->token,
                           "t" + std::to_string(trial) + "c" + std::to_string(c), std::cref(stop),
                           std::cref(key), &rec);
    threads.emplace_back(Poller, srv->port(), std::cref(stop), std::cref(key), &rec);
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 300));
    srv->Kill9();
    stop = true;
    for (auto& t : threads) t.join();
    srv = ServerProcess::Start(dir, args, &error);
    ASSERT_TRUE(srv) << "restart after kill -9 failed: " << error;
    Api api = srv->Client();

    for (const auto& p : rec.problems) ADD_FAILURE() << p;
    ASSERT_TRUE(rec.problems.empty());
    std::set<int64_t> to_check = std::move(rec.since_restart);
    rec.since_restart.clear();
    HttpReply cpr = api.Get("/log/checkpoint");
    ASSERT_EQ(cpr.status, 200) << cpr.Describe();
    tlog::Checkpoint now = Observe(cpr.body, key, &rec);
    ASSERT_GE(now.size, 0) << rec.problems.back();
    to_check.insert(anchors.begin(), anchors.end());
    for (int64_t size : to_check)
      ASSERT_NO_FATAL_FAILURE(ExpectConsistent(api, size, rec.roots.at(size), now));
    anchors.push_back(now.size);

    for (const Json& r : rec.receipts) {
      ASSERT_NO_FATAL_FAILURE(VerifyReceipt(r, key));
      const int64_t index = r["index"];
      HttpReply e = api.Get("/v1/log/entries/" + std::to_string(index));
      ASSERT_EQ(e.status, 200) << "acknowledged entry " << index << " lost: " << e.Describe();
      EXPECT_EQ(e.json()["leaf_hash"], r["leaf_hash"]) << "entry " << index << " changed";
      all_leaves[index] = B64(r["leaf_hash"]);
      all_receipts.push_back(r);
    }
    rec.receipts.clear();
    std::vector<Hash> leaves = LeafHashes(api, now.size);
    for (const auto& [index, leaf] : all_leaves) {
      ASSERT_LT(index, static_cast<int64_t>(leaves.size())) << "entry " << index << " lost";
      ASSERT_EQ(leaves[index], leaf) << "entry " << index << " changed";
    }
  }
  // Every checkpoint ever seen, directly against the final one; every receipt again.
  Api api = srv->Client();
  HttpReply cpr = api.Get("/log/checkpoint");
  tlog::Checkpoint last = Observe(cpr.body, key, &rec);
  for (const auto& [size, root] : rec.roots) ExpectConsistent(api, size, root, last);
  for (const Json& r : all_receipts) VerifyReceipt(r, key);
  std::printf("log_crash_test: %zu acknowledged entries, %zu checkpoints, %d crashes\n",
              all_leaves.size(), rec.roots.size(), trials);
  EXPECT_GT(all_leaves.size(), 0u) << "no write was acknowledged: the test proved nothing";
  EXPECT_TRUE(rec.problems.empty());
}

}  // namespace
}  // namespace vt::testing
