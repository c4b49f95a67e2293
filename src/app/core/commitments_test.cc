#include "app/core/commitments.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "domain/entries.h"

namespace vt::app {
namespace {

// Salt 00 01 .. 1f; the expected digests were computed with the shell one-liner of
// docs/log-entries.md:
//   { printf '%s' "$SALT" | xxd -r -p; printf '%s' "$VALUE"; } | sha256sum
std::string Salt() {
  std::string s;
  for (int i = 0; i < 32; ++i) s.push_back(static_cast<char>(i));
  return s;
}

TEST(CommitmentsTest, CommitIsSha256OfSaltAndCanonicalValue) {
  EXPECT_EQ(*Commit(Salt(), Json(2500000)),
            "sha256:e475b602eb17947f1951f5c554593a1984bd4aa256b0efaaf133870046451149");
  EXPECT_EQ(*Commit(Salt(), Json("Wang Fang")),
            "sha256:2a69a73d830ca49f49b0db1c3900acbd67f6e745ddbf9e0915503dd478ae6342");
  // Objects in RFC 8785 form: members sorted, no whitespace.
  EXPECT_EQ(*Commit(Salt(), Json{{"USD", 7}, {"CNY", 2500000}}),
            "sha256:08a1c39f3e74602e7a41bdcef1e8dfeb2a7c50a151941c0d240ac405143dfa7e");
  EXPECT_TRUE(IsCommitment(*Commit(Salt(), Json(1))));
  EXPECT_FALSE(IsCommitment(Json("sha256:abc")));
  EXPECT_FALSE(IsCommitment(Json(std::string(71, 'a'))));
}

TEST(CommitmentsTest, CheckOpeningAcceptsOnlyTheCommittedValue) {
  std::string c = *Commit(Salt(), Json(2500000));
  Json o = {{"salt", HexEncode(Salt())}, {"value", 2500000}};
  EXPECT_TRUE(CheckOpening(o, c).ok());
  o["value"] = 2500001;
  EXPECT_FALSE(CheckOpening(o, c).ok());
  o["value"] = "2500000";  // another JSON value: a string
  EXPECT_FALSE(CheckOpening(o, c).ok());
  o = {{"salt", HexEncode(Salt()).substr(2) + "ff"}, {"value", 2500000}};
  EXPECT_FALSE(CheckOpening(o, c).ok());
  EXPECT_FALSE(CheckOpening(Json{{"value", 2500000}}, c).ok());
}

TEST(CommitmentsTest, SealEntryReplacesMarkersAndKeepsTheOpenings) {
  FakeClock clock;
  DeterministicRng rng(7);
  Json payload = {{"net_receipts", domain::Confidential(93864023, "org_a")},
                  {"total", domain::Confidential(11263682, "org_a", "org_payee")},
                  {"period", "2025-07"},
                  {"list", {domain::Confidential("Li Wei", "org_a")}}};
  auto draft = domain::MakeEntry("settlement.run", 2, clock, {"org_a", "mem_a"}, {{"org", "org_a"}},
                                 payload);
  ASSERT_TRUE(draft.ok());
  std::vector<Opening> openings;
  auto sealed = SealEntry(*draft, rng, &openings);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->find("93864023"), std::string::npos) << *sealed;
  EXPECT_EQ(sealed->find("11263682"), std::string::npos) << *sealed;
  EXPECT_EQ(sealed->find("Li Wei"), std::string::npos) << *sealed;
  EXPECT_EQ(sealed->find("$confidential"), std::string::npos) << *sealed;
  EXPECT_EQ(sealed->find("org_payee"), std::string::npos) << *sealed;
  EXPECT_NE(sealed->find("2025-07"), std::string::npos);
  Json e = ParseJsonStrict(*sealed).value();
  EXPECT_EQ(*Canonicalize(e), *sealed);
  ASSERT_EQ(openings.size(), 3u);
  auto found = CommitmentsIn(e);
  ASSERT_EQ(found.size(), 3u);
  for (const Opening& o : openings) {
    bool listed = false;
    for (const auto& [field, c] : found) listed |= field == o.field && c == o.commitment;
    EXPECT_TRUE(listed) << o.field;
    EXPECT_TRUE(CheckOpening(OpeningToJson(o), o.commitment).ok());
    EXPECT_EQ(o.entry_type, "settlement.run");
    EXPECT_EQ(o.org_id, "org_a");
  }
  EXPECT_EQ(e["payload"]["list"][0], openings[0].commitment);  // "list" sorts first
  EXPECT_EQ(openings[0].field, "/payload/list/0");
  EXPECT_EQ(openings[0].value, "Li Wei");
  EXPECT_EQ(openings[2].party, "org_payee");
  // Each field has its own salt: the same value twice gives two commitments.
  std::vector<Opening> more;
  auto again = SealEntry(*draft, rng, &more);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(more[1].commitment, openings[1].commitment);
}

TEST(CommitmentsTest, EntriesWithoutMarkersAreUnchanged) {
  FakeClock clock;
  DeterministicRng rng(7);
  auto e = domain::MakeEntry("card.revoked", 1, clock, {"org_a", "mem_a"}, {{"org", "org_a"}},
                             {{"serial", "ab"}, {"reason", "keyCompromise"}});
  std::vector<Opening> openings;
  EXPECT_EQ(*SealEntry(*e, rng, &openings), *e);
  EXPECT_TRUE(openings.empty());
  EXPECT_TRUE(CommitmentsIn(ParseJsonStrict(*e).value()).empty());
}

TEST(CommitmentsTest, MalformedMarkerIsRefused) {
  DeterministicRng rng(7);
  std::vector<Opening> openings;
  std::string draft = R"({"payload":{"a":{"$confidential":{"value":1}}},"type":"x","v":2})";
  EXPECT_FALSE(SealEntry(draft, rng, &openings).ok());
  EXPECT_TRUE(openings.empty());
}

}  // namespace
}  // namespace vt::app
