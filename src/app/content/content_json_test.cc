// The JSON contract of content verification (docs/c2pa.md), without a
// database: a library report converted by VerifyReportToJson, and offline
// verification of an asset with no manifest.
#include <gtest/gtest.h>

#include <sstream>

#include "app/content/content_desk.h"
#include "c2pa/test_assets.h"

namespace vt::app {
namespace {

TEST(ContentJson, NoManifest) {
  std::istringstream in(c2pa::testing::TinyJpeg());
  auto j = VerifyOffline(c2pa::Container::kJpeg, in, std::nullopt, {}, TimePoint{});
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["verdict"], "no_manifest");
  EXPECT_FALSE(j->contains("character"));
}

TEST(ContentJson, ReportFields) {
  c2pa::VerifyReport r;
  r.verdict = c2pa::Verdict::kValidUntrusted;
  r.manifest_label = "urn:c2pa:00000000-0000-4000-8000-000000000000";
  r.signer_subject = "CN=Studio content credentials, O=Studio";
  r.registry_json = R"({"character_id":"VC-1","org_id":"org_1","work_ids":["wrk_1"],"log_index":7,)"
                    R"("AIGC":{"Label":"1"}})";
  r.actions.push_back({"c2pa.created", kSourceTrainedAlgorithmic});
  c2pa::Ingredient ing;
  ing.work_id = "wrk_1";
  ing.title = "Song";
  ing.content_sha256 = std::string(32, '\xab');
  r.ingredients.push_back(ing);
  r.statuses.push_back({"signingCredential.untrusted", "u", "e", false});
  Json j = VerifyReportToJson(r);
  EXPECT_EQ(j["verdict"], "valid_untrusted");
  EXPECT_EQ(j["character"]["id"], "VC-1");
  EXPECT_EQ(j["producer"]["org_id"], "org_1");
  EXPECT_EQ(j["works"][0]["id"], "wrk_1");
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "ab";
  EXPECT_EQ(j["works"][0]["sha256"], hex);
  EXPECT_EQ(j["ai_label"]["Label"], "1");
  EXPECT_EQ(j["log"]["index"], 7);
  EXPECT_EQ(j["log"]["included"], false);
  EXPECT_TRUE(j["identity"].is_null());
  EXPECT_EQ(j["statuses"][0]["success"], false);
}

}  // namespace
}  // namespace vt::app
