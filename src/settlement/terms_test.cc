#include "settlement/terms.h"

#include <gtest/gtest.h>

#include "settlement/concert_testdata.h"

namespace vt::settlement {
namespace {

Json Concert() { return *ParseJsonStrict(testdata::kConcertAgreement); }

// Parses `doc` and expects InvalidArgument on `field` with `message` in the text.
void ExpectRefused(const Json& doc, const std::string& field, const std::string& message) {
  auto a = Agreement::FromJson(doc);
  ASSERT_FALSE(a.ok()) << "accepted; expected an error on " << field;
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().field(), field) << a.status().ToString();
  EXPECT_NE(a.status().message().find(message), std::string::npos) << a.status().ToString();
}

TEST(Terms, ConcertParsesAndRoundTrips) {
  auto a = Agreement::Parse(testdata::kConcertAgreement);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->id, "lumi-starlight-2025");
  EXPECT_EQ(a->currency.code, "CNY");
  EXPECT_EQ(a->currency.scale, 2);
  ASSERT_EQ(a->tiers.size(), 4u);
  EXPECT_EQ(a->tiers[0].kind, TierKind::kFee);
  EXPECT_EQ(a->tiers[1].cap, 5000000);
  EXPECT_EQ(a->tiers[2].rate->value(), *Rational::Create(1, 2));
  const Share& pool = a->tiers[3].shares[4];
  ASSERT_TRUE(pool.pool.has_value());
  EXPECT_EQ(pool.key(), "music-pool");
  EXPECT_EQ(pool.pool->tiers[0].shares[1].payee, "choreo");
  // The document as written is the document serialized: the hash identifies it.
  EXPECT_EQ(a->ToJson(), Concert());
  EXPECT_EQ(a->CanonicalBytes(), *Canonicalize(Concert()));
  auto again = Agreement::FromJson(a->ToJson());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->CanonicalBytes(), a->CanonicalBytes());
  EXPECT_EQ(a->PayeeDisplayName("voice"), "Chen Yu (voice)");
  EXPECT_EQ(a->PayeeDisplayName("agreement:song-1"), "the agreement of work song-1");
}

TEST(Terms, SharesMustSumTo10000BasisPoints) {
  Json d = Concert();
  d["tiers"][3]["shares"][0]["weight"] = 3499;
  ExpectRefused(d, "tiers[3].shares", "shares sum to 9999 basis points, expected 10000");
}

TEST(Terms, NegativeShare) {
  Json d = Concert();
  d["tiers"][3]["shares"][1]["weight"] = -3000;
  ExpectRefused(d, "tiers[3].shares[1].weight", "share must not be negative");
  Json units = Concert();
  units["tiers"][3]["shares"][4]["pool"]["tiers"][0]["shares"][1]["weight"] = -2;
  ExpectRefused(units, "tiers[3].shares[4].pool.tiers[0].shares[1].weight",
                "share must not be negative");
}

TEST(Terms, UnknownCurrencyKindAndFields) {
  Json d = Concert();
  d["currency"] = "RMB";
  ExpectRefused(d, "currency", "unknown currency \"RMB\"");
  d = Concert();
  d["tiers"][0]["kind"] = "tax";
  ExpectRefused(d, "tiers[0].kind", "unknown tier kind \"tax\"");
  d = Concert();
  d["tiers"][1]["colour"] = "red";
  ExpectRefused(d, "tiers[1].colour", "unknown field");
  d = Concert();
  d["signature"] = "x";
  ExpectRefused(d, "signature", "unknown field");
  d = Concert();
  d["tiers"][3]["shares"][4]["pool"]["extra"] = 1;
  ExpectRefused(d, "tiers[3].shares[4].pool.extra", "unknown field");
}

TEST(Terms, StructuralRules) {
  Json d = Concert();
  d["tiers"][0]["payee"] = "nobody";
  ExpectRefused(d, "tiers[0].payee", "not one of the agreement's parties");
  d = Concert();
  d["tiers"][1]["rate"] = {{"num", 3}, {"den", 2}};
  ExpectRefused(d, "tiers[1].rate.num", "must not exceed 1");
  d = Concert();
  d["tiers"][1]["rate"] = {{"bp", 500}, {"num", 1}, {"den", 20}};
  ExpectRefused(d, "tiers[1].rate", "either bp or num/den");
  d = Concert();
  d["tiers"][1]["id"] = "platform-fee";
  ExpectRefused(d, "tiers[1].id", "unique");
  d = Concert();
  d["tiers"].push_back(d["tiers"][0]);
  d["tiers"][4]["id"] = "late-fee";
  ExpectRefused(d, "tiers[4]", "no tier may follow a shares tier");
  d = Concert();
  d["tiers"].erase(3);
  ExpectRefused(d, "tiers", "the last tier must be a shares tier");
  d = Concert();
  d["tiers"][3]["shares"][1]["payee"] = "ipowner";
  ExpectRefused(d, "tiers[3].shares[1]", "appears twice");
  d = Concert();
  d["tiers"][3]["shares"][4]["pool"]["tiers"][0]["shares"] = Json::array();
  ExpectRefused(d, "tiers[3].shares[4].pool.tiers[0].shares", "at least one share");
  d = Concert();
  d["tiers"][2].erase("cap");
  ExpectRefused(d, "tiers[2].cap", "is required");
  d = Concert();
  d["tiers"][1]["cap"] = 1.5;
  ExpectRefused(d, "tiers[1].cap", "must be an integer");
  d = Concert();
  d["tiers"][1]["cap"] = int64_t{1} << 60;
  ExpectRefused(d, "tiers[1].cap", "out of range");
  d = Concert();
  d["parties"][1]["id"] = "platform";
  ExpectRefused(d, "parties[1].id", "duplicate party id");
  d = Concert();
  d["format"] = "vtrust-agreement/2";
  ExpectRefused(d, "format", "expected");
  d = Concert();
  d["scope"]["territories"][1] = "hk";
  ExpectRefused(d, "scope.territories[1]", "ISO 3166-1");
  d = Concert();
  d["scope"]["period_to"] = "2025-06";
  ExpectRefused(d, "scope.period_to", "before period_from");
  d = Concert();
  d["scope"]["period_from"] = "2025-13";
  ExpectRefused(d, "scope.period_from", "YYYY-MM");
}

TEST(Terms, RoyaltiesPayIntoUpstreamAgreements) {
  Json d = Concert();
  Json royalty = {{"id", "song-royalty"},
                  {"kind", "royalty"},
                  {"payee", "agreement:song:starlight-theme"},
                  {"rate", {{"bp", 300}}},
                  {"base", "gross"}};
  d["tiers"].insert(d["tiers"].begin(), royalty);
  auto a = Agreement::FromJson(d);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->tiers[0].kind, TierKind::kRoyalty);
  d["tiers"][0]["payee"] = "platform";
  ExpectRefused(d, "tiers[0].payee", "agreement:<upstream work id>");
  d["tiers"][0]["payee"] = "agreement:concert:lumi-starlight-2025";
  ExpectRefused(d, "tiers[0].payee", "its own agreement");
}

TEST(Terms, FlattenedNestingNeedsSingleSharesPools) {
  Json d = Concert();
  d["nesting"] = "flattened";
  ASSERT_TRUE(Agreement::FromJson(d).ok());
  Json fee = {{"id", "pool-fee"}, {"kind", "fee"}, {"payee", "studio"}, {"rate", {{"bp", 100}}}};
  auto& pool_tiers = d["tiers"][3]["shares"][4]["pool"]["tiers"];
  pool_tiers.insert(pool_tiers.begin(), fee);
  ExpectRefused(d, "tiers[3].shares[4].pool.tiers", "single shares tier");
  d.erase("nesting");
  EXPECT_TRUE(Agreement::FromJson(d).ok());  // hierarchical pools may have any waterfall
}

TEST(Terms, UnitsSharesAndCycleLimit) {
  Json d = Concert();
  auto& split = d["tiers"][3]["shares"][4]["pool"]["tiers"][0];
  split["shares"][0]["weight"] = 0;
  split["shares"][1]["weight"] = 0;
  ExpectRefused(d, "tiers[3].shares[4].pool.tiers[0].shares", "positive number of units");
  split["shares"][0]["weight"] = 1000003;
  split["shares"][1]["weight"] = 999983;
  ExpectRefused(d, "tiers[3].shares[4].pool.tiers[0].shares", "at most 1000000");
}

}  // namespace
}  // namespace vt::settlement
