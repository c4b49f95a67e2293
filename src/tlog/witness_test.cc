#include "tlog/witness.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/key.h"
#include "crypto/signer.h"
#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/note_keys.h"

namespace vt::tlog {
namespace {

const char kOrigin[] = "vtrust.example/log";

std::shared_ptr<crypto::Signer> SeedSigner(uint8_t first) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(first + i));
  return crypto::MakeSoftwareSigner(*crypto::PrivateKey::FromEd25519Seed(seed));
}

// A log (tiles in memory) that signs checkpoints with the vtrust test key.
struct TestLog {
  MemoryTileStore tiles;
  int64_t size = 0;
  std::unique_ptr<NoteSigner> signer;
  explicit TestLog(const std::string& prefix, uint8_t seed = 0)
      : signer(*NewEd25519NoteSigner(kOrigin, SeedSigner(seed))), prefix_(prefix) {}
  void Grow(int64_t n) {
    std::vector<Hash> leaves;
    for (int64_t i = size; i < n; ++i) leaves.push_back(LeafHash(prefix_ + std::to_string(i)));
    AppendResult r = *NewTilesAfterAppend(size, leaves, tiles);
    tiles.PutAll(r.tiles);
    size = n;
  }
  std::string Checkpoint(int64_t n) {
    return *SignCheckpoint({kOrigin, n, *TreeRoot(n, tiles), {}}, {signer.get()});
  }
  std::string Request(int64_t old_size, int64_t n) {
    return *FormatAddCheckpointRequest(
        {old_size, *ConsistencyProof(old_size, n, tiles), Checkpoint(n)});
  }
  std::string prefix_;
};

class WitnessTest : public ::testing::Test {
 protected:
  WitnessTest() : log_("entry ") {
    log_.Grow(300);
    log_key_ = *NewEd25519NoteVerifier(kOrigin, SeedSigner(0)->public_key());
    cosigner_ = std::shared_ptr<Cosigner>(*Cosigner::Create("witness.example/w1", SeedSigner(50)));
    witness_key_ = *ParseVerifierKey(cosigner_->VerifierKey());
    witness_ = *Witness::Create({{kOrigin, {log_key_}}}, {cosigner_}, store_, clock_);
  }
  WitnessResponse Add(const std::string& body) { return witness_->AddCheckpoint(body); }
  int64_t StoredSize() { return (*store_.Load(kOrigin))->size; }

  TestLog log_;
  MemoryWitnessStateStore store_;
  FakeClock clock_{1'700'000'000'000};
  std::shared_ptr<const NoteVerifier> log_key_, witness_key_;
  std::shared_ptr<Cosigner> cosigner_;
  std::unique_ptr<Witness> witness_;
};

TEST_F(WitnessTest, CosignsConsistentCheckpoints) {
  WitnessResponse r = Add(log_.Request(0, 5));
  ASSERT_EQ(r.http_status, 200) << r.body;
  StatusOr<std::string> cosigned = AppendCosignatures(log_.Checkpoint(5), r.body, {witness_key_});
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().ToString();
  StatusOr<VerifiedNote> v = OpenNote(*cosigned, {log_key_, witness_key_});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verified.size(), 2u);
  EXPECT_EQ(*CosignatureTimestamp(v->verified[1].signature), 1'700'000'000u);
  EXPECT_EQ(StoredSize(), 5);
  for (int64_t n : {5, 6, 64, 256, 257, 300}) {  // including the same size again
    const int64_t old = StoredSize();
    r = Add(log_.Request(old, n));
    ASSERT_EQ(r.http_status, 200) << old << "->" << n << ": " << r.body;
    EXPECT_EQ(StoredSize(), n);
  }
}

TEST_F(WitnessTest, StaleOldSizeIs409WithTheCurrentSize) {
  ASSERT_EQ(Add(log_.Request(0, 10)).http_status, 200);
  WitnessResponse r = Add(log_.Request(0, 20));
  EXPECT_EQ(r.http_status, 409);
  EXPECT_EQ(r.content_type, "text/x.tlog.size");
  EXPECT_EQ(r.body, "10\n");
  EXPECT_EQ(*ParseConflictBody(r.body), 10);
  EXPECT_EQ(Add(log_.Request(5, 20)).http_status, 409);
  EXPECT_EQ(StoredSize(), 10);
}

TEST_F(WitnessTest, RefusesRollBackAndForks) {
  ASSERT_EQ(Add(log_.Request(0, 100)).http_status, 200);
  // Roll-back: a smaller checkpoint, whatever old size is claimed.
  EXPECT_EQ(Add(*FormatAddCheckpointRequest({100, {}, log_.Checkpoint(50)})).http_status, 400);
  // A fork: same origin and key, different leaves.
  TestLog fork("forked ");
  fork.Grow(120);
  EXPECT_EQ(Add(*FormatAddCheckpointRequest({100, {}, fork.Checkpoint(100)})).http_status, 409);
  // Inconsistent growth: the fork's own (valid for the fork) proof fails here.
  WitnessResponse r = Add(fork.Request(100, 120));
  EXPECT_EQ(r.http_status, 422) << r.body;
  // A tampered proof fails.
  AddCheckpointRequest req = *ParseAddCheckpointRequest(log_.Request(100, 120));
  req.proof[0][0] ^= 1;
  EXPECT_EQ(Add(*FormatAddCheckpointRequest(req)).http_status, 422);
  req.proof.pop_back();
  EXPECT_EQ(Add(*FormatAddCheckpointRequest(req)).http_status, 422);
  EXPECT_EQ(StoredSize(), 100);
  EXPECT_EQ(Add(log_.Request(100, 120)).http_status, 200);
}

TEST_F(WitnessTest, SignaturesAndOrigins) {
  TestLog other_key("entry ", 7);  // same origin, untrusted key
  other_key.Grow(10);
  EXPECT_EQ(Add(other_key.Request(0, 10)).http_status, 403);
  // A checkpoint whose trusted signature does not verify (text changed).
  std::string cp = log_.Checkpoint(10);
  cp.replace(cp.find("\n10\n"), 4, "\n11\n");
  EXPECT_EQ(Add(*FormatAddCheckpointRequest({0, {}, cp})).http_status, 403);
  // Unknown origin.
  auto stranger = *NewEd25519NoteSigner("stranger.example/log", SeedSigner(0));
  std::string foreign =
      *SignCheckpoint({"stranger.example/log", 1, LeafHash("x"), {}}, {stranger.get()});
  EXPECT_EQ(Add(*FormatAddCheckpointRequest({0, {}, foreign})).http_status, 404);
  EXPECT_FALSE(store_.Load(kOrigin)->has_value());
}

TEST_F(WitnessTest, MalformedRequestsAre400) {
  const std::string cp = log_.Checkpoint(10);
  std::vector<Hash> long_proof(64, LeafHash("p"));
  std::string too_long = "old 5\n";
  for (const Hash& h : long_proof) too_long += HashToBase64(h) + "\n";
  for (const std::string& body : std::vector<std::string>{
           "", "old 0\n", "old 0\n\n", "old 00\n\n" + cp, "old -1\n\n" + cp, "old 0" + cp,
           "new 0\n\n" + cp, "old 0\nnot base64\n\n" + cp, too_long + "\n" + cp,
           "old 0\n\nnot a note\n", "old 0\n" + HashToBase64(LeafHash("p")) + "\n\n" + cp}) {
    EXPECT_EQ(Add(body).http_status, 400) << body;
  }
  EXPECT_FALSE(FormatAddCheckpointRequest({0, long_proof, cp}).ok());
}

TEST_F(WitnessTest, RequestRoundTrip) {
  AddCheckpointRequest req{7, {LeafHash("a"), LeafHash("b")}, log_.Checkpoint(10)};
  std::string body = *FormatAddCheckpointRequest(req);
  EXPECT_TRUE(body.starts_with("old 7\n" + HashToBase64(LeafHash("a")) + "\n"));
  EXPECT_EQ(*ParseAddCheckpointRequest(body), req);
}

// A store whose state moves between Load and CompareAndSwap once.
class RacingStore : public MemoryWitnessStateStore {
 public:
  Status CompareAndSwap(std::string_view origin, const std::optional<WitnessLogState>& expected,
                        const WitnessLogState& next) override {
    if (race_) {
      race_ = false;
      VT_RETURN_IF_ERROR(MemoryWitnessStateStore::CompareAndSwap(origin, expected, raced_to));
    }
    return MemoryWitnessStateStore::CompareAndSwap(origin, expected, next);
  }
  bool race_ = true;
  WitnessLogState raced_to;
};

TEST_F(WitnessTest, CompareAndSwapRaceIsRetriedAndDecidedAgain) {
  RacingStore store;
  store.raced_to = {20, *TreeRoot(20, log_.tiles)};
  auto w = *Witness::Create({{kOrigin, {log_key_}}}, {cosigner_}, store, clock_);
  WitnessResponse r = w->AddCheckpoint(log_.Request(0, 10));
  EXPECT_EQ(r.http_status, 409);  // the concurrent request won; no roll-back to 10
  EXPECT_EQ(r.body, "20\n");
  EXPECT_EQ((*store.Load(kOrigin))->size, 20);
}

TEST(WitnessConfig, RejectsBadConfiguration) {
  MemoryWitnessStateStore store;
  FakeClock clock;
  auto cosigner = std::shared_ptr<Cosigner>(*Cosigner::Create("w", SeedSigner(1)));
  auto key = *NewEd25519NoteVerifier(kOrigin, SeedSigner(0)->public_key());
  EXPECT_FALSE(Witness::Create({{kOrigin, {key}}}, {}, store, clock).ok());
  EXPECT_FALSE(Witness::Create({{kOrigin, {}}}, {cosigner}, store, clock).ok());
  EXPECT_FALSE(
      Witness::Create({{kOrigin, {key}}, {kOrigin, {key}}}, {cosigner}, store, clock).ok());
}

}  // namespace
}  // namespace vt::tlog
