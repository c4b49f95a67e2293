// Witness specs ("<vkey>@<URL>") and the witness settings of config.toml.
#include "app/log/witnessing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "crypto/key.h"
#include "tlog/cosignature.h"

namespace vt::app {
namespace {

std::string CosignerVkey(const std::string& name) {
  auto key = crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x05'));
  auto v = tlog::NewCosignatureVerifier(name, key->Public());
  return (*v)->VerifierKey();
}

TEST(WitnessSpecTest, ParsesVkeyAndUrl) {
  const std::string vkey = CosignerVkey("w.example/a@b");  // '@' in the name is fine
  auto ep = ParseWitnessSpec(vkey + "@http://127.0.0.1:8090/prefix");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_EQ(ep->vkey, vkey);
  EXPECT_EQ(ep->url, "http://127.0.0.1:8090/prefix");
  EXPECT_EQ(ep->verifier->sig_type(), tlog::kSigTypeCosignature);
}

TEST(WitnessSpecTest, RejectsBadSpecs) {
  const std::string vkey = CosignerVkey("w.example/a");
  EXPECT_FALSE(ParseWitnessSpec(vkey).ok());                           // no URL
  EXPECT_FALSE(ParseWitnessSpec(vkey + "@ftp://x").ok());              // scheme
  EXPECT_FALSE(ParseWitnessSpec(vkey + "@http://").ok());              // no host
  EXPECT_FALSE(ParseWitnessSpec("nonsense@http://127.0.0.1:1").ok());  // not a vkey
  auto note_key = crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x06'));
  std::string log_vkey =
      tlog::FormatVerifierKey("log.example", tlog::kSigTypeEd25519, note_key->Public().RawBytes());
  EXPECT_FALSE(ParseWitnessSpec(log_vkey + "@http://127.0.0.1:1").ok())  // a note key
      << "an Ed25519 note key is not a cosignature key";
}

}  // namespace
}  // namespace vt::app
