// The witness settings of config.toml (moved here with the file's reader).
#include "server/config_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "crypto/key.h"
#include "tlog/cosignature.h"

namespace vt::server {
namespace {

using app::Config;

std::string CosignerVkey(const std::string& name) {
  auto key = crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x05'));
  auto v = tlog::NewCosignatureVerifier(name, key->Public());
  return (*v)->VerifierKey();
}

TEST(WitnessConfigTest, RoundTripsAndChecksThePolicy) {
  char tmpl[] = "/tmp/vt-witcfg-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  Config c;
  c.data_dir = tmpl;
  c.log_origin = "log.example";
  c.witnesses = {CosignerVkey("w1") + "@http://127.0.0.1:1", CosignerVkey("w2") + "@http://h:2"};
  c.witness_policy = 1;
  ASSERT_TRUE(SaveConfig(c).ok());
  auto back = LoadConfig(tmpl);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->witnesses, c.witnesses);
  EXPECT_EQ(back->witness_policy, 1);
  c.witness_policy = 3;  // more than the two witnesses
  ASSERT_TRUE(SaveConfig(c).ok());
  EXPECT_FALSE(LoadConfig(tmpl).ok());
  std::system((std::string("rm -rf ") + tmpl).c_str());
}

// public_url is written only when configured; unset, it reads back empty (derived
// from `vtrust serve --listen` by the composition root).
TEST(PublicUrlConfigTest, UnsetStaysUnset) {
  char tmpl[] = "/tmp/vt-urlcfg-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  Config c;
  c.data_dir = tmpl;
  c.log_origin = "log.example";
  c.public_url.clear();
  EXPECT_EQ(ConfigToToml(c).find("\npublic_url"), std::string::npos) << ConfigToToml(c);
  ASSERT_TRUE(SaveConfig(c).ok());
  auto back = LoadConfig(tmpl);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->public_url, "");
  c.public_url = "https://id.example";
  ASSERT_TRUE(SaveConfig(c).ok());
  back = LoadConfig(tmpl);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->public_url, "https://id.example");
  std::system((std::string("rm -rf ") + tmpl).c_str());
}

}  // namespace
}  // namespace vt::server
