// The witness (docs/tlog.md, "Witnessing"): `vtrust witness serve` as a separate
// process, fed hand-made add-checkpoint requests (c2sp.org/tlog-witness) from an
// in-memory log, and two witnesses with a 2-of-2 policy cosigning a live
// `vtrust serve`.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <thread>

#include "crypto/key.h"
#include "tests/harness.h"
#include "tests/witness_process.h"
#include "tlog/checkpoint.h"
#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/note_keys.h"
#include "tlog/tlog_proof.h"
#include "tlog/witness_core.h"

namespace vt::testing {
namespace {

using tlog::Hash;

// A log kept in memory: Ed25519 key from a one-byte seed, leaves "<salt><i>".
class FakeLog {
 public:
  FakeLog(const std::string& origin, uint8_t seed_byte, const std::string& salt, int64_t size)
      : origin_(origin) {
    std::string seed(32, static_cast<char>(seed_byte));
    signer_ = *tlog::ParseSignerKey(*tlog::FormatSignerKey(origin, seed));
    auto pub = crypto::PrivateKey::FromEd25519Seed(seed)->Public().RawBytes();
    vkey_ = tlog::FormatVerifierKey(origin, tlog::kSigTypeEd25519, pub);
    std::vector<Hash> leaves;
    for (int64_t i = 0; i < size; ++i) leaves.push_back(tlog::LeafHash(salt + std::to_string(i)));
    auto appended = tlog::NewTilesAfterAppend(0, leaves, tiles_);
    tiles_.PutAll(appended->tiles);
  }
  const std::string& vkey() const { return vkey_; }
  Hash Root(int64_t size) { return *tlog::TreeRoot(size, tiles_); }
  std::string Checkpoint(int64_t size) {
    return *tlog::SignCheckpoint({origin_, size, Root(size), {}}, {signer_.get()});
  }
  std::vector<Hash> Proof(int64_t old_size, int64_t new_size) {
    return *tlog::ConsistencyProof(old_size, new_size, tiles_);
  }
  // The add-checkpoint body for `size` from `old` (with the right proof).
  std::string Request(int64_t old, int64_t size) {
    std::vector<Hash> proof = old > 0 ? Proof(old, size) : std::vector<Hash>{};
    return *tlog::FormatAddCheckpointRequest({old, proof, Checkpoint(size)});
  }

 private:
  std::string origin_;
  std::unique_ptr<tlog::NoteSigner> signer_;
  std::string vkey_;
  tlog::MemoryTileStore tiles_;
};

struct Reply {
  int status = 0;
  std::string type;
  std::string body;
};

Reply AddCheckpoint(int port, const std::string& body) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  auto res = c.Post("/add-checkpoint", body, "text/plain");
  if (!res) return {};
  return {res->status, res->get_header_value("Content-Type"), res->body};
}

std::string Describe(const Reply& r) {
  return "status " + std::to_string(r.status) + " (" + r.type + "): " + r.body;
}

// Cosignature lines of `w` on `note` verify.
void ExpectCosigned(const std::string& note, const Reply& r, const std::string& witness_vkey) {
  ASSERT_EQ(r.status, 200) << Describe(r);
  auto v = tlog::ParseVerifierKey(witness_vkey);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto cosigned = tlog::AppendCosignatures(note, r.body, {*v});
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().ToString() << "\n" << r.body;
  EXPECT_GT(cosigned->size(), note.size());
}

void ExpectConflict(const Reply& r, int64_t size) {
  EXPECT_EQ(r.status, 409) << Describe(r);
  EXPECT_EQ(r.type, "text/x.tlog.size");
  EXPECT_EQ(r.body, std::to_string(size) + "\n");
}

TEST(WitnessTest, RefusesInconsistentRolledBackUnknownAndForgedCheckpoints) {
  TempDir tmp;
  const std::string wdir = tmp.Sub("w");
  FakeLog log("example.test/fake", 7, "a", 64);
  FakeLog fork("example.test/fake", 7, "b", 64);      // same key, another history
  FakeLog other("example.test/other", 8, "a", 64);    // a log the witness does not know
  FakeLog impostor("example.test/fake", 9, "a", 64);  // right name, wrong key
  CliResult r = RunCli({"witness", "init", "--data", wdir, "--name", "w.example/one"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = RunCli({"witness", "add-log", "--data", wdir, "--vkey", log.vkey()});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  CliResult vk = RunCli({"witness", "vkey", "--data", wdir});
  ASSERT_EQ(vk.exit_code, 0) << vk.Describe();
  const std::string wvkey = vk.out.substr(0, vk.out.find('\n'));
  ASSERT_EQ(tlog::ParseVerifierKey(wvkey).value()->sig_type(), tlog::kSigTypeCosignature);

  std::string error;
  auto w = WitnessProcess::Start(wdir, &error);
  ASSERT_TRUE(w) << error;
  const int port = w->port();

  // First checkpoint (old 0), then a consistent extension.
  ExpectCosigned(log.Checkpoint(10), AddCheckpoint(port, log.Request(0, 10)), wvkey);
  ExpectConflict(AddCheckpoint(port, log.Request(0, 20)), 10);  // wrong old size
  ExpectCosigned(log.Checkpoint(20), AddCheckpoint(port, log.Request(10, 20)), wvkey);

  // A forked tree at a larger size: its own proof does not link the cosigned root.
  Reply forked = AddCheckpoint(
      port, *tlog::FormatAddCheckpointRequest({20, fork.Proof(20, 30), fork.Checkpoint(30)}));
  EXPECT_EQ(forked.status, 422) << Describe(forked);
  // The right tree with a damaged proof.
  std::vector<Hash> bad = log.Proof(20, 30);
  bad[0][0] ^= 1;
  Reply damaged =
      AddCheckpoint(port, *tlog::FormatAddCheckpointRequest({20, bad, log.Checkpoint(30)}));
  EXPECT_EQ(damaged.status, 422) << Describe(damaged);
  // Same size, different root.
  ExpectConflict(
      AddCheckpoint(port, *tlog::FormatAddCheckpointRequest({20, {}, fork.Checkpoint(20)})), 20);
  // Roll-back: a smaller size (claiming the current old size, or its own).
  Reply back = AddCheckpoint(port, *tlog::FormatAddCheckpointRequest({20, {}, log.Checkpoint(15)}));
  EXPECT_EQ(back.status, 400) << Describe(back);
  ExpectConflict(AddCheckpoint(port, log.Request(10, 15)), 20);
  // Unknown origin; a checkpoint signed by another key under the log's name; a
  // damaged signature; garbage.
  Reply unknown = AddCheckpoint(port, other.Request(0, 30));
  EXPECT_EQ(unknown.status, 404) << Describe(unknown);
  Reply forged = AddCheckpoint(port, *tlog::FormatAddCheckpointRequest(
                                         {20, impostor.Proof(20, 30), impostor.Checkpoint(30)}));
  EXPECT_EQ(forged.status, 403) << Describe(forged);
  std::string note = log.Checkpoint(30);
  note[note.size() - 10] = note[note.size() - 10] == 'A' ? 'B' : 'A';
  Reply badsig =
      AddCheckpoint(port, *tlog::FormatAddCheckpointRequest({20, log.Proof(20, 30), note}));
  EXPECT_EQ(badsig.status, 403) << Describe(badsig);
  Reply garbage = AddCheckpoint(port, "old x\n\nnot a checkpoint\n");
  EXPECT_EQ(garbage.status, 400) << Describe(garbage);
  // None of the refusals moved the state.
  ExpectConflict(AddCheckpoint(port, log.Request(0, 30)), 20);

  // The state survives a crash of the witness.
  w->Kill9();
  w = WitnessProcess::Start(wdir, &error);
  ASSERT_TRUE(w) << error;
  ExpectConflict(AddCheckpoint(w->port(), log.Request(0, 30)), 20);
  ExpectCosigned(log.Checkpoint(30), AddCheckpoint(w->port(), log.Request(20, 30)), wvkey);
  w->Kill9();
  w = WitnessProcess::Start(wdir, &error);
  ASSERT_TRUE(w) << error;
  ExpectConflict(AddCheckpoint(w->port(), log.Request(20, 40)), 30);
}

TEST(WitnessTest, CliRejectsBadInput) {
  TempDir tmp;
  const std::string wdir = tmp.Sub("w");
  EXPECT_NE(RunCli({"witness", "init", "--data", wdir, "--name", "bad name"}).exit_code, 0);
  ASSERT_EQ(RunCli({"witness", "init", "--data", wdir, "--name", "w.example/x"}).exit_code, 0);
  EXPECT_NE(RunCli({"witness", "init", "--data", wdir, "--name", "w.example/x"}).exit_code, 0)
      << "init must not overwrite an existing witness";
  EXPECT_NE(RunCli({"witness", "add-log", "--data", wdir, "--vkey", "nonsense"}).exit_code, 0);
  CliResult vk = RunCli({"witness", "vkey", "--data", wdir});
  ASSERT_EQ(vk.exit_code, 0);
  // A cosignature key is not a log key.
  EXPECT_NE(
      RunCli({"witness", "add-log", "--data", wdir, "--vkey", vk.out.substr(0, vk.out.find('\n'))})
          .exit_code,
      0);
  std::string error;
  EXPECT_FALSE(WitnessProcess::Start(wdir, &error)) << "serving with no trusted log";
}

// A witness directory trusting `log_vkey`; returns the witness's cosignature vkey.
std::string MakeWitness(const std::string& wdir, const std::string& name,
                        const std::string& log_vkey) {
  CliResult r = RunCli({"witness", "init", "--data", wdir, "--name", name, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  CliResult a = RunCli({"witness", "add-log", "--data", wdir, "--vkey", log_vkey});
  EXPECT_EQ(a.exit_code, 0) << a.Describe();
  return r.json().value("vkey", "");
}

struct Served {
  int64_t size = -1;
  std::vector<std::string> cosigners;  // names of the witnesses whose cosignature verified
};

// Fetches /log/checkpoint and verifies it with the log key and the witness keys.
Served ReadServed(Api& api, const std::string& origin, const tlog::NoteVerifiers& keys) {
  Served s;
  HttpReply r = api.Get("/log/checkpoint");
  EXPECT_EQ(r.status, 200) << r.Describe();
  auto v = tlog::OpenCheckpoint(r.body, origin, keys);
  EXPECT_TRUE(v.ok()) << v.status().ToString() << "\n" << r.body;
  if (!v.ok()) return s;
  s.size = v->checkpoint.size;
  for (const auto& sig : v->note.verified)
    if (sig.name != origin) s.cosigners.push_back(sig.name);
  return s;
}

// Polls until the served checkpoint covers `size` with both cosignatures (bounded).
Served AwaitCosigned(Api& api, const std::string& origin, const tlog::NoteVerifiers& keys,
                     int64_t size) {
  Served s;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < deadline) {
    s = ReadServed(api, origin, keys);
    if (s.size >= size && s.cosigners.size() == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return s;
}

TEST(WitnessTest, TwoWitnessesCosignALiveLogTwoOfTwo) {
  TempDir tmp;
  const std::string dir = tmp.Sub("log"), origin = "example.test/live";
  auto init = InitDataDir(dir, {"--origin", origin});
  ASSERT_TRUE(init);
  CliResult lv = RunCli({"log", "vkey", "--data", dir});
  ASSERT_EQ(lv.exit_code, 0) << lv.Describe();
  const std::string log_vkey = lv.out.substr(0, lv.out.find('\n'));
  const std::string v1 = MakeWitness(tmp.Sub("w1"), "w1.example/w", log_vkey);
  const std::string v2 = MakeWitness(tmp.Sub("w2"), "w2.example/w", log_vkey);
  std::string error;
  auto w1 = WitnessProcess::Start(tmp.Sub("w1"), &error);
  ASSERT_TRUE(w1) << error;
  auto w2 = WitnessProcess::Start(tmp.Sub("w2"), &error);
  ASSERT_TRUE(w2) << error;
  {
    std::ofstream cfg(dir + "/config.toml", std::ios::app);
    cfg << "witnesses = [\"" << v1 << "@" << w1->url() << "\", \"" << v2 << "@" << w2->url()
        << "\"]\nwitness_policy = 2\n";
  }
  auto srv = ServerProcess::Start(dir, {"--access-log", "off"}, &error);
  ASSERT_TRUE(srv) << error;
  Api api = srv->Client(init->token);
  tlog::NoteVerifiers keys = {*tlog::ParseVerifierKey(log_vkey), *tlog::ParseVerifierKey(v1),
                              *tlog::ParseVerifierKey(v2)};

  auto write = [&](const std::string& name) -> Json {
    HttpReply r = api.Post("/v1/orgs", {{"name", name}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json()["receipt"];
  };
  Json receipt;
  for (int i = 0; i < 10; ++i) receipt = write("org-" + std::to_string(i));
  const int64_t want = receipt["tree_size"].get<int64_t>();
  Served s = AwaitCosigned(api, origin, keys, want);
  ASSERT_GE(s.size, want) << "the served checkpoint never covered the writes";
  ASSERT_EQ(s.cosigners.size(), 2u) << "cosigned by " << s.cosigners.size() << " witnesses";
  EXPECT_NE(s.cosigners[0], s.cosigners[1]);

  // The receipt upgrade: the tlog-proof of the last write now carries both cosignatures.
  const int64_t index = receipt["index"].get<int64_t>();
  HttpReply proof = api.Get("/v1/log/entries/" + std::to_string(index) + "/tlog-proof");
  ASSERT_EQ(proof.status, 200) << proof.Describe();
  tlog::TlogProofPolicy policy{origin, {keys[0]}, {keys[1], keys[2]}, 2};
  auto verified = tlog::VerifyTlogProof(
      proof.body, *tlog::HashFromBase64(receipt["leaf_hash"].get<std::string>()), policy);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString() << "\n" << proof.body;
  EXPECT_EQ(verified->witnesses.size(), 2u);

  // With one witness down, 2-of-2 cannot cosign the new writes; once it is back
  // (its state survived the crash) the served checkpoint catches up.
  const std::string w2_listen = "127.0.0.1:" + std::to_string(w2->port());
  w2->Kill9();
  for (int i = 10; i < 15; ++i) receipt = write("org-" + std::to_string(i));
  const int64_t want2 = receipt["tree_size"].get<int64_t>();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_LT(ReadServed(api, origin, keys).size, want2)
      << "a checkpoint was served as 2-of-2 cosigned while a witness was down";
  w2 = WitnessProcess::Start(tmp.Sub("w2"), &error, w2_listen);
  ASSERT_TRUE(w2) << error;
  s = AwaitCosigned(api, origin, keys, want2);
  EXPECT_GE(s.size, want2);
  EXPECT_EQ(s.cosigners.size(), 2u);
  EXPECT_EQ(srv->Stop(), 0) << srv->Stderr();
}

}  // namespace
}  // namespace vt::testing
