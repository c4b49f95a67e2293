// Signed notes: the spec's and Go's published vectors, the vtrust vector,
// and the verification rules of c2sp.org/signed-note.
#include "tlog/note.h"

#include <gtest/gtest.h>

#include <string>

#include "base/encoding.h"
#include "crypto/key.h"
#include "crypto/signer.h"
#include "tlog/note_keys.h"

namespace vt::tlog {
namespace {

const std::string kEm = "\xE2\x80\x94";

// c2sp.org/signed-note example.
const char kSpecVkey[] = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const std::string kSpecNote =
    "This is an example message.\n\n" + kEm +
    " example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
    "\n";

// golang.org/x/mod/sumdb/note tests.
const char kPeterSkey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const char kPeterVkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const char kEnochVkey[] = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const char kGoText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kPeterSig =
    kEm +
    " PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig = kEm +
                              " EnochRoot "
                              "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
                              "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

// The vtrust vector: seed 00..1f, name vtrust.example/log, the checkpoint of
// the tree of leaves "a".."e".
const char kVtrustVkey[] =
    "vtrust.example/log+dbdc1e1c+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
const char kVtrustText[] = "vtrust.example/log\n5\n/hSlQm+9cMD6c/UjQq/tDaC9I8SDhmLM9riKMHDq2Xs=\n";
const std::string kVtrustNote = std::string(kVtrustText) + "\n" + kEm +
                                " vtrust.example/log "
                                "29weHMZ7wGXxFovVdCdYWbqXdaMxa2Wm1lCqnEL1JkPdZyaJHv/RcE2RstaWwt/"
                                "M4Ul3S+k/M09oi04cUlNEexsZcQE=\n";

std::string Seed0To31() {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(i));
  return seed;
}

std::shared_ptr<const NoteVerifier> Vkey(std::string_view s) {
  StatusOr<std::shared_ptr<const NoteVerifier>> v = ParseVerifierKey(s);
  if (!v.ok()) ADD_FAILURE() << s << ": " << v.status().ToString();
  return v.ok() ? *v : nullptr;
}

TEST(Note, SpecExampleVerifies) {
  auto v = Vkey(kSpecVkey);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->key_id(), 0x530d903au);
  EXPECT_EQ(v->VerifierKey(), kSpecVkey);
  StatusOr<VerifiedNote> n = OpenNote(kSpecNote, {v});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->text, "This is an example message.\n");
  ASSERT_EQ(n->verified.size(), 1u);
  EXPECT_EQ(n->verified[0].name, "example.com/foo");
}

TEST(Note, GoVectorsSignAndVerify) {
  StatusOr<std::unique_ptr<NoteSigner>> peter = ParseSignerKey(kPeterSkey);
  ASSERT_TRUE(peter.ok()) << peter.status().ToString();
  EXPECT_EQ((*peter)->key_id(), 0xc74f20a3u);
  StatusOr<std::string> signed_note = SignNote(kGoText, {peter->get()});
  ASSERT_TRUE(signed_note.ok());
  EXPECT_EQ(*signed_note, std::string(kGoText) + "\n" + kPeterSig);  // Ed25519 is deterministic
  auto pv = Vkey(kPeterVkey), ev = Vkey(kEnochVkey);
  const std::string both = std::string(kGoText) + "\n" + kPeterSig + kEnochSig;
  StatusOr<VerifiedNote> n = OpenNote(both, {pv, ev});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->verified.size(), 2u);
  n = OpenNote(both, {ev});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->verified.size(), 1u);
  ASSERT_EQ(n->unverified.size(), 1u);
  EXPECT_EQ(n->unverified[0].name, "PeterNeumann");
}

TEST(Note, VtrustVectorIsReproducedByteForByte) {
  auto key = crypto::PrivateKey::FromEd25519Seed(Seed0To31());
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(HexEncode(key->Public().RawBytes()),
            "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  auto signer = NewEd25519NoteSigner("vtrust.example/log", crypto::MakeSoftwareSigner(*key));
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ((*signer)->key_id(), 0xdbdc1e1cu);
  EXPECT_EQ(FormatVerifierKey("vtrust.example/log", kSigTypeEd25519, key->Public().RawBytes()),
            kVtrustVkey);
  EXPECT_EQ(*SignNote(kVtrustText, {signer->get()}), kVtrustNote);
  EXPECT_TRUE(OpenNote(kVtrustNote, {Vkey(kVtrustVkey)}).ok());
  // skey round trip.
  StatusOr<std::string> skey = FormatSignerKey("vtrust.example/log", Seed0To31());
  ASSERT_TRUE(skey.ok());
  EXPECT_EQ(*SignNote(kVtrustText, {ParseSignerKey(*skey)->get()}), kVtrustNote);
}

TEST(Note, VerificationRules) {
  auto v = Vkey(kVtrustVkey);
  auto other = Vkey(kPeterVkey);
  // No known key: rejected (PermissionDenied).
  EXPECT_EQ(OpenNote(kVtrustNote, {other}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(OpenNote(kVtrustNote, {}).status().code(), StatusCode::kPermissionDenied);
  // A known key whose signature fails rejects the note even if another verifies.
  std::string tampered = kVtrustNote;
  tampered[0] = 'V';  // text changed
  EXPECT_EQ(OpenNote(tampered, {v}).status().code(), StatusCode::kPermissionDenied);
  const std::string two = kVtrustNote + kPeterSig;  // Peter's sig is over other text
  EXPECT_EQ(OpenNote(two, {v, other}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(OpenNote(two, {v}).ok());  // unknown signatures are ignored
  // Same name, different key ID: unknown, ignored.
  std::string wrong_id = kVtrustNote;
  wrong_id.replace(wrong_id.find(" 29we") + 1, 4, "AAAA");
  EXPECT_EQ(OpenNote(wrong_id, {v}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      OpenNote(wrong_id + kVtrustNote.substr(std::string(kVtrustText).size() + 1), {v}).ok());
  // The same known key twice is malformed.
  const std::string sig_line = kVtrustNote.substr(std::string(kVtrustText).size() + 1);
  EXPECT_EQ(OpenNote(kVtrustNote + sig_line, {v}).status().code(), StatusCode::kInvalidArgument);
}

TEST(Note, SignatureLimits) {
  auto v = Vkey(kVtrustVkey);
  std::string note = kVtrustNote;
  // 99 unknown signatures plus the known one: accepted (>= 16 required).
  for (int i = 0; i < 99; ++i) {
    note += kEm + " w" + std::to_string(i) + ".example AAAAAAA=\n";
  }
  StatusOr<VerifiedNote> n = OpenNote(note, {v});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->unverified.size(), 99u);
  EXPECT_FALSE(OpenNote(note + kEm + " w.example AAAAAAA=\n", {v}).ok());  // 101
}

TEST(Note, ParseRejectsMalformed) {
  const std::string sig = kVtrustNote.substr(std::string(kVtrustText).size() + 1);
  for (const std::string& bad : {
           std::string(kVtrustText),         // no signatures
           std::string(kVtrustText) + "\n",  // blank line, no signature
           std::string(kVtrustText) + "\n" + sig.substr(0, sig.size() - 1),  // no final \n
           std::string(kVtrustText) + sig,                                   // no blank line
           std::string("a\tb\n\n") + sig,                                    // control character
           std::string("a\rb\n\n") + sig,
           std::string("\xff\n\n") + sig,                                   // invalid UTF-8
           std::string(kVtrustText) + "\n- vtrust.example/log AAAAAAA=\n",  // hyphen, not em dash
           std::string(kVtrustText) + "\n" + kEm + "vtrust.example/log AAAAAAA=\n",
           std::string(kVtrustText) + "\n" + kEm + " a+b AAAAAAA=\n",  // '+' in name
           std::string(kVtrustText) + "\n" + kEm +
               " a\xC2\xA0"
               "b AAAAAAA=\n",                                      // NBSP
           std::string(kVtrustText) + "\n" + kEm + "  AAAAAAA=\n",  // empty name
           std::string(kVtrustText) + "\n" + kEm + " a AAAA\n",     // < 5 bytes
           std::string(kVtrustText) + "\n" + kEm + " a AAAAAAA\n",  // bad base64
           std::string(kVtrustText) + "\n" + kEm + " a\n",
       }) {
    EXPECT_EQ(ParseNote(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  // Empty lines in the text are allowed; the split is at the last blank line.
  StatusOr<Note> n = ParseNote("para 1\n\npara 2\n\n" + sig);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->text, "para 1\n\npara 2\n");
  EXPECT_EQ(*FormatNote(*n), "para 1\n\npara 2\n\n" + sig);
}

TEST(Note, KeyNamesAndKeyFormats) {
  EXPECT_TRUE(IsValidKeyName("example.com/log"));
  EXPECT_TRUE(IsValidKeyName("\xC3\xA9t\xC3\xA9"));
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(
      IsValidKeyName("a\xE3\x80\x80"
                     "b"));  // U+3000 ideographic space
  for (const char* bad :
       {"vtrust.example/log+dbdc1e1d+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",  // id
        "vtrust.example/log+dbdc1e1c+AgOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",  // type
        "vtrust.example/log+dbdc1e1c+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVT==",
        "vtrust.example/log+dbdc1e+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",
        "vtrust.example/log", "+dbdc1e1c+AQOh",
        "a b+dbdc1e1c+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"}) {
    EXPECT_FALSE(ParseVerifierKey(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParseSignerKey(
                   "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
                   .ok());
  EXPECT_FALSE(ParseSignerKey(kPeterVkey).ok());
  auto p256 = crypto::PrivateKey::Generate(crypto::KeyAlg::kP256);
  ASSERT_TRUE(p256.ok());
  EXPECT_FALSE(NewEd25519NoteSigner("x", crypto::MakeSoftwareSigner(*p256)).ok());
  EXPECT_FALSE(NewEd25519NoteVerifier("x", p256->Public()).ok());
}

}  // namespace
}  // namespace vt::tlog
