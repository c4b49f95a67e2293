#include "tlog/tlog_proof.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/key.h"
#include "crypto/signer.h"
#include "tlog/cosignature.h"
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

class TlogProofTest : public ::testing::Test {
 protected:
  TlogProofTest() {
    for (int i = 0; i < 1000; ++i) entries_.push_back("entry " + std::to_string(i));
    std::vector<Hash> leaves;
    for (const auto& e : entries_) leaves.push_back(LeafHash(e));
    AppendResult r = *NewTilesAfterAppend(0, leaves, tiles_);
    tiles_.PutAll(r.tiles);
    auto log = *NewEd25519NoteSigner(kOrigin, SeedSigner(0));
    std::string note = *SignCheckpoint({kOrigin, 1000, r.root, {}}, {log.get()});
    for (uint8_t w = 0; w < 3; ++w) {
      auto c = *Cosigner::Create("witness" + std::to_string(w) + ".example", SeedSigner(10 + w));
      note += FormatSignatureLine(*c->Cosign(note.substr(0, note.find("\n\n") + 1), 1700000000));
      policy_.witness_keys.push_back(*ParseVerifierKey(c->VerifierKey()));
    }
    checkpoint_ = note;
    policy_.origin = kOrigin;
    policy_.log_keys = {*NewEd25519NoteVerifier(kOrigin, SeedSigner(0)->public_key())};
    policy_.min_witnesses = 2;
  }
  std::vector<std::string> entries_;
  MemoryTileStore tiles_;
  std::string checkpoint_;
  TlogProofPolicy policy_;
};

TEST_F(TlogProofTest, RoundTripAndVerify) {
  std::string file = *MakeTlogProof(733, checkpoint_, tiles_, std::string("ctx"));
  EXPECT_TRUE(file.starts_with("c2sp.org/tlog-proof@v1\nextra Y3R4\nindex 733\n")) << file;
  TlogProof p = *ParseTlogProof(file);
  EXPECT_EQ(p.index, 733);
  EXPECT_EQ(*p.extra, "ctx");
  EXPECT_EQ(p.inclusion_proof.size(), 10u);
  EXPECT_EQ(p.signed_checkpoint, checkpoint_);
  EXPECT_EQ(*FormatTlogProof(p), file);
  StatusOr<VerifiedTlogProof> v = VerifyTlogProofForEntry(file, entries_[733], policy_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->checkpoint.size, 1000);
  EXPECT_EQ(v->witnesses.size(), 3u);
  // Without extra, the index follows the header directly.
  std::string plain = *MakeTlogProof(0, checkpoint_, tiles_);
  EXPECT_TRUE(plain.starts_with("c2sp.org/tlog-proof@v1\nindex 0\n"));
  EXPECT_TRUE(VerifyTlogProofForEntry(plain, entries_[0], policy_).ok());
}

TEST_F(TlogProofTest, DetectsTampering) {
  const std::string file = *MakeTlogProof(733, checkpoint_, tiles_);
  EXPECT_FALSE(VerifyTlogProofForEntry(file, entries_[732], policy_).ok());  // other entry
  TlogProof p = *ParseTlogProof(file);
  for (size_t k = 0; k < p.inclusion_proof.size(); ++k) {
    TlogProof bad = p;
    bad.inclusion_proof[k][31] ^= 0x80;
    EXPECT_FALSE(VerifyTlogProofForEntry(*FormatTlogProof(bad), entries_[733], policy_).ok()) << k;
  }
  TlogProof wrong_index = p;
  wrong_index.index = 732;
  EXPECT_FALSE(VerifyTlogProofForEntry(*FormatTlogProof(wrong_index), entries_[733], policy_).ok());
  // A changed checkpoint breaks the log signature.
  std::string forged = file;
  forged.replace(forged.find("\n1000\n"), 6, "\n1001\n");
  EXPECT_EQ(VerifyTlogProofForEntry(forged, entries_[733], policy_).status().code(),
            StatusCode::kPermissionDenied);
  // Policy: witnesses quorum, log key, origin.
  TlogProofPolicy strict = policy_;
  strict.min_witnesses = 4;
  EXPECT_EQ(VerifyTlogProofForEntry(file, entries_[733], strict).status().code(),
            StatusCode::kPermissionDenied);
  TlogProofPolicy no_log = policy_;
  no_log.log_keys = {*NewEd25519NoteVerifier(kOrigin, SeedSigner(99)->public_key())};
  EXPECT_EQ(VerifyTlogProofForEntry(file, entries_[733], no_log).status().code(),
            StatusCode::kPermissionDenied);
  TlogProofPolicy other_origin = policy_;
  other_origin.origin = "other.example/log";
  EXPECT_FALSE(VerifyTlogProofForEntry(file, entries_[733], other_origin).ok());
}

TEST_F(TlogProofTest, StrictParse) {
  const std::string file = *MakeTlogProof(5, checkpoint_, tiles_);
  const std::string body = file.substr(file.find("index"));
  const std::string rest = file.substr(file.find('\n', file.find("index")) + 1);
  const std::string h = "c2sp.org/tlog-proof@v1\n";
  for (const std::string& bad : std::vector<std::string>{
           "", "c2sp.org/tlog-proof@v2\n" + body, h, h + "index 05\n" + rest,
           h + "index -5\n" + rest, h + "index 5 \n" + rest, h + "index\n" + rest,
           h + "extra !!\n" + body, h + "extra x\n" + body, h + "index 5\nextra eA==\n" + rest,
           h + body.substr(0, body.find("\n\n") + 1), h + "index 5\nnot-a-hash\n\n" + checkpoint_,
           h + "index 5\n\n", h + "index 5\n" + HashToBase64(EmptyRoot()) + "\n"}) {
    EXPECT_FALSE(ParseTlogProof(bad).ok()) << bad;
  }
  // Well-formed but wrong: trailing garbage after the note, or an extra line
  // that is not base64 of anything the proof authenticates.
  EXPECT_FALSE(VerifyTlogProofForEntry(h + body + "x", entries_[5], policy_).ok());
  EXPECT_TRUE(ParseTlogProof(h + "extra \n" + body)->extra->empty());
  EXPECT_FALSE(MakeTlogProof(1000, checkpoint_, tiles_).ok());  // index == size
}

}  // namespace
}  // namespace vt::tlog
