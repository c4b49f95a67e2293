#include "tlog/checkpoint.h"

#include <gtest/gtest.h>

#include <string>

#include "base/encoding.h"
#include "crypto/key.h"
#include "crypto/signer.h"
#include "tlog/cosignature.h"
#include "tlog/note_keys.h"
#include "tlog/reference.h"

namespace vt::tlog {
namespace {

const std::string kEm = "\xE2\x80\x94";
const char kVtrustText[] = "vtrust.example/log\n5\n/hSlQm+9cMD6c/UjQq/tDaC9I8SDhmLM9riKMHDq2Xs=\n";

std::shared_ptr<crypto::Signer> SeedSigner(uint8_t first) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(first + i));
  return crypto::MakeSoftwareSigner(*crypto::PrivateKey::FromEd25519Seed(seed));
}

TEST(Checkpoint, VtrustVectorRoundTrips) {
  std::vector<Hash> leaves;
  for (char c = 'a'; c <= 'e'; ++c) leaves.push_back(LeafHash(std::string(1, c)));
  Checkpoint c{"vtrust.example/log", 5, reference::RootHash(leaves), {}};
  EXPECT_EQ(*FormatCheckpoint(c), kVtrustText);
  EXPECT_EQ(*ParseCheckpoint(kVtrustText), c);
  c.extensions = {"ext one", "ext\xE2\x80\x94two"};
  EXPECT_EQ(*ParseCheckpoint(*FormatCheckpoint(c)), c);
  Checkpoint empty{"o", 0, EmptyRoot(), {}};
  EXPECT_EQ(*FormatCheckpoint(empty), "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
}

TEST(Checkpoint, StrictParse) {
  const std::string root = "/hSlQm+9cMD6c/UjQq/tDaC9I8SDhmLM9riKMHDq2Xs=";
  for (const std::string& bad : std::vector<std::string>{
           "", "o\n5\n" + root, "o\n5\n", "\n5\n" + root + "\n", "o\n05\n" + root + "\n",
           "o\n+5\n" + root + "\n", "o\n-1\n" + root + "\n", "o\n5 \n" + root + "\n",
           "o\n\n" + root + "\n", "o\n9223372036854775808\n" + root + "\n",
           "o\n99999999999999999999\n" + root + "\n", "o\n5\n" + root.substr(0, 43) + "\n",
           std::string("o\n5\nAAAA\n"), "o\n5\n" + root + "\n\n", "o\n5\n" + root + "\n\next\n",
           "o\n5\n" + root + " \n"}) {
    EXPECT_FALSE(ParseCheckpoint(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseCheckpoint("o\n9223372036854775807\n" + root + "\n")->size, INT64_MAX);
  EXPECT_FALSE(FormatCheckpoint({"", 1, EmptyRoot(), {}}).ok());
  EXPECT_FALSE(FormatCheckpoint({"a\nb", 1, EmptyRoot(), {}}).ok());
  EXPECT_FALSE(FormatCheckpoint({"a", -1, EmptyRoot(), {}}).ok());
  EXPECT_FALSE(FormatCheckpoint({"a", 1, EmptyRoot(), {""}}).ok());
  EXPECT_FALSE(FormatCheckpoint({"a", 1, EmptyRoot(), {"x\ny"}}).ok());
  EXPECT_FALSE(FormatCheckpoint({"a\t", 1, EmptyRoot(), {}}).ok());
}

// Found by fuzz/fuzz_checkpoint: ParseCheckpoint accepted control characters and
// invalid UTF-8 that FormatCheckpoint (and signed-note) refuse, so a parsed
// checkpoint could not be formatted back. Whatever parses must now round-trip.
TEST(Checkpoint, ParseRefusesWhatFormatRefuses) {
  const std::string root = "/hSlQm+9cMD6c/UjQq/tDaC9I8SDhmLM9riKMHDq2Xs=";
  for (const std::string& bad : {std::string("v!\0log\n602\n", 11) + root + "\n",
                                 "o\t\n5\n" + root + "\n", "o\n5\n" + root + "\next\x01\n",
                                 "o\r\n5\n" + root + "\n", "\xC0\xAFo\n5\n" + root + "\n"}) {
    EXPECT_FALSE(ParseCheckpoint(bad).ok()) << bad;
  }
  std::string good = "example.com/log\n5\n" + root + "\nextension line\n";
  auto c = ParseCheckpoint(good);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*FormatCheckpoint(*c), good);
}

TEST(Checkpoint, SignAndOpen) {
  auto log = *NewEd25519NoteSigner("vtrust.example/log", SeedSigner(0));
  auto log_v = *NewEd25519NoteVerifier("vtrust.example/log", SeedSigner(0)->public_key());
  Checkpoint c = *ParseCheckpoint(kVtrustText);
  std::string note = *SignCheckpoint(c, {log.get()});
  StatusOr<VerifiedCheckpoint> v = OpenCheckpoint(note, "vtrust.example/log", {log_v});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->checkpoint, c);
  EXPECT_EQ(OpenCheckpoint(note, "other.example/log", {log_v}).status().code(),
            StatusCode::kInvalidArgument);
  // A signed note whose text is not a checkpoint.
  std::string not_cp = *SignNote("hello\n", {log.get()});
  EXPECT_FALSE(OpenCheckpoint(not_cp, "hello", {log_v}).ok());
}

TEST(Cosignature, SpecExampleTimestamp) {
  // tlog-cosignature example line "— witness.example.com/w1 jWbPPw..."; its
  // timestamp is the example's "time 1679315147".
  std::string raw = *Base64Decode(
      "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+"
      "mbIUBkBIfZ+qnA==");
  EXPECT_EQ(*CosignatureTimestamp(raw.substr(4)), 1679315147u);
  EXPECT_EQ(CosignedMessage("example.com/behind-the-sofa\n20852163\nCsUY=\n", 1679315147),
            "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUY=\n");
  EXPECT_FALSE(CosignatureTimestamp(raw.substr(5)).ok());
  std::string big = raw.substr(4);
  big[0] = '\x80';
  EXPECT_FALSE(CosignatureTimestamp(big).ok());
}

TEST(Cosignature, SignVerifyAndVkey) {
  auto signer = SeedSigner(100);
  auto w = *Cosigner::Create("witness.example/w1", signer);
  EXPECT_EQ(w->key_id(), KeyId("witness.example/w1", 0x04, signer->public_key().RawBytes()));
  EXPECT_NE(w->key_id(), KeyId("witness.example/w1", 0x01, signer->public_key().RawBytes()));
  const std::string vkey = w->VerifierKey();
  EXPECT_EQ(vkey.substr(0, vkey.rfind('+') + 1),
            "witness.example/w1+" +
                HexEncode(std::string{char(w->key_id() >> 24), char(w->key_id() >> 16),
                                      char(w->key_id() >> 8), char(w->key_id())}) +
                "+");
  EXPECT_EQ(Base64Decode(vkey.substr(vkey.rfind('+') + 1))->at(0), '\x04');
  auto wv = *ParseVerifierKey(vkey);
  EXPECT_EQ(wv->sig_type(), kSigTypeCosignature);

  auto log = *NewEd25519NoteSigner("vtrust.example/log", SeedSigner(0));
  auto log_v = *NewEd25519NoteVerifier("vtrust.example/log", SeedSigner(0)->public_key());
  std::string note = *SignNote(kVtrustText, {log.get()});
  NoteSignature cosig = *w->Cosign(kVtrustText, 1700000000);
  EXPECT_EQ(cosig.signature.size(), 72u);
  EXPECT_EQ(*CosignatureTimestamp(cosig.signature), 1700000000u);
  // The Ed25519 part is a plain signature over the cosigned message.
  EXPECT_TRUE(signer->public_key()
                  .Verify(CosignedMessage(kVtrustText, 1700000000), cosig.signature.substr(8))
                  .ok());
  const std::string cosigned = note + FormatSignatureLine(cosig);
  StatusOr<VerifiedNote> v = OpenNote(cosigned, {log_v, wv});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verified.size(), 2u);
  // A changed timestamp breaks the cosignature, and with it the note.
  NoteSignature moved = cosig;
  moved.signature[7] ^= 1;
  EXPECT_EQ(OpenNote(note + FormatSignatureLine(moved), {log_v, wv}).status().code(),
            StatusCode::kPermissionDenied);
  // A cosignature over other text fails.
  NoteSignature other = *w->Cosign("other\n", 1700000000);
  EXPECT_FALSE(OpenNote(note + FormatSignatureLine(other), {log_v, wv}).ok());
  EXPECT_FALSE(w->Cosign("no newline", 1).ok());
  EXPECT_FALSE(w->Cosign(kVtrustText, uint64_t{1} << 63).ok());
}

}  // namespace
}  // namespace vt::tlog
