#include "settlement/engine.h"

#include <gtest/gtest.h>

#include <map>

#include "base/rng.h"
#include "settlement/allocate.h"
#include "settlement/concert_testdata.h"
#include "settlement/explain.h"

namespace vt::settlement {
namespace {

Json RandomRate(Rng& rng) {
  if (rng.Uniform(2)) return {{"bp", 1 + rng.Uniform(10000)}};
  uint64_t den = 1 + rng.Uniform(997);
  return {{"num", 1 + rng.Uniform(den)}, {"den", den}};
}

// A shares list: bp summing to 10,000 or units; some entries are pools (a units
// split, under hierarchical nesting sometimes behind a fee of their own).
Json RandomShares(Rng& rng, int depth, bool flattened, int* next_id) {
  Json shares = Json::array();
  size_t n = 1 + rng.Uniform(4);
  bool bp = rng.Uniform(2);
  int64_t left = 10000;
  for (size_t i = 0; i < n; ++i) {
    int64_t w = bp ? (i + 1 == n ? left : static_cast<int64_t>(rng.Uniform(left + 1)))
                   : static_cast<int64_t>(rng.Uniform(7)) + (i == 0);
    left -= w;
    Json share = {{"weight", w}};
    if (depth < 2 && rng.Uniform(4) == 0) {
      std::string pool_id = "pool" + std::to_string((*next_id)++);
      Json tiers = Json::array();
      if (!flattened && rng.Uniform(2)) {
        tiers.push_back({{"id", "t" + std::to_string((*next_id)++)},
                         {"kind", "fee"},
                         {"payee", "p0"},
                         {"rate", RandomRate(rng)}});
      }
      Json members = Json::array();
      for (int k = 0, m = 1 + static_cast<int>(rng.Uniform(3)); k < m; ++k)
        members.push_back(
            {{"payee", "p" + std::to_string(k + 2 * depth + 1)}, {"weight", 1 + rng.Uniform(5)}});
      tiers.push_back({{"id", "t" + std::to_string((*next_id)++)},
                       {"kind", "shares"},
                       {"unit", "units"},
                       {"shares", members}});
      share["pool"] = {{"id", pool_id}, {"tiers", tiers}};
    } else {
      share["payee"] = "p" + std::to_string(i + 3 * depth);
    }
    shares.push_back(share);
  }
  return shares;
}

Json RandomAgreement(Rng& rng, bool gross_bases_allowed) {
  Json parties = Json::array();
  for (int i = 0; i < 10; ++i)
    parties.push_back({{"id", "p" + std::to_string(i)}, {"name", "Party " + std::to_string(i)}});
  bool flattened = rng.Uniform(3) == 0;
  int next_id = 0;
  Json tiers = Json::array();
  for (uint64_t k = 0, n = rng.Uniform(5); k < n; ++k) {
    Json t = {{"id", "t" + std::to_string(next_id++)}};
    std::string payee = "p" + std::to_string(rng.Uniform(10));
    switch (rng.Uniform(5)) {
      case 0:
      case 1:
        t["kind"] = rng.Uniform(2) ? "fee" : "corridor";
        t["payee"] = payee;
        t["rate"] = RandomRate(rng);
        if (gross_bases_allowed && rng.Uniform(2)) t["base"] = "gross";
        if (rng.Uniform(2)) t["cap"] = rng.Uniform(2000000);
        break;
      case 2:
        t["kind"] = "royalty";
        t["payee"] = "agreement:upstream-" + std::to_string(rng.Uniform(3));
        t["rate"] = RandomRate(rng);
        break;
      case 3:
        t["kind"] = "fixed";
        t["payee"] = payee;
        t["amount"] = 1 + rng.Uniform(3000000);
        break;
      default:
        t["kind"] = "recoupment";
        t["payee"] = payee;
        t["cap"] = 1 + rng.Uniform(5000000);
        if (rng.Uniform(2)) t["rate"] = RandomRate(rng);
    }
    tiers.push_back(t);
  }
  Json shares = RandomShares(rng, 0, flattened, &next_id);
  bool bp = true;
  int64_t sum = 0;
  for (const Json& s : shares) sum += s["weight"].get<int64_t>();
  if (sum != 10000) bp = false;
  if (sum == 0) shares[0]["weight"] = 1;
  tiers.push_back({{"id", "t" + std::to_string(next_id++)},
                   {"kind", "shares"},
                   {"unit", bp ? "bp" : "units"},
                   {"shares", shares}});
  Json doc = {{"format", "vtrust-agreement/1"},
              {"id", "random"},
              {"version", 1},
              {"work", "work-1"},
              {"currency", "JPY"},
              {"parties", parties},
              {"scope", {{"territories", {"CN", "HK"}}}},
              {"tiers", tiers}};
  if (flattened) doc["nesting"] = "flattened";
  return doc;
}

std::vector<RevenueLine> RandomLines(Rng& rng, size_t n, bool refunds) {
  std::vector<RevenueLine> lines;
  for (size_t i = 0; i < n; ++i) {
    Amount amount = rng.Uniform(3) == 0 ? static_cast<Amount>(rng.Uniform(100))
                                        : static_cast<Amount>(rng.Uniform(3000000));
    if (refunds && rng.Uniform(6) == 0) amount = -amount;
    std::string territory = rng.Uniform(8) == 0 ? "JP" : (rng.Uniform(2) ? "CN" : "HK");
    lines.push_back(
        {"k" + std::to_string(i), "", amount, "JPY", territory, "streaming", "2025-07", ""});
  }
  return lines;
}

// Settles `lines` in random batches; returns the final state and checks each period.
SettlementState SettleInBatches(const Agreement& a, std::vector<RevenueLine> lines, Rng& rng,
                                std::map<std::string, Amount>* per_payee, bool expect_monotone) {
  for (size_t i = lines.size(); i > 1; --i) std::swap(lines[i - 1], lines[rng.Uniform(i)]);
  SettlementState state;
  size_t pos = 0;
  while (pos < lines.size()) {
    size_t take = 1 + rng.Uniform(lines.size() - pos);
    std::span<const RevenueLine> batch(lines.data() + pos, take);
    auto s = Settle(a, state, "p" + std::to_string(pos), batch);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return state;
    Amount sum = 0;
    for (const PayeeAmount& p : s->payees) {
      sum += p.amount;
      (*per_payee)[p.payee] += p.amount;
      if (expect_monotone) {
        EXPECT_GE(p.amount, 0) << p.payee << " paid back in a growing period";
      }
    }
    EXPECT_EQ(sum, s->net_receipts) << "a period does not sum to its net receipts";
    state = s->state;
    pos += take;
  }
  return state;
}

TEST(Engine, InvariantUnderRandomRebatching) {
  DeterministicRng rng(2025);
  for (int iter = 0; iter < 300; ++iter) {
    auto a = Agreement::FromJson(RandomAgreement(rng, true));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto lines = RandomLines(rng, 1 + rng.Uniform(30), true);
    auto once = Settle(*a, SettlementState{}, "all", lines);
    ASSERT_TRUE(once.ok()) << once.status().ToString();
    for (int split = 0; split < 3; ++split) {
      std::map<std::string, Amount> per_payee;
      SettlementState state = SettleInBatches(*a, lines, rng, &per_payee, false);
      ASSERT_EQ(state, once->state) << "iteration " << iter;
      for (const PayeeAmount& p : once->payees) ASSERT_EQ(per_payee[p.payee], p.amount) << p.payee;
    }
  }
}

TEST(Engine, GrowingReceiptsNeverTakeBackWithRemainingBases) {
  DeterministicRng rng(77);
  for (int iter = 0; iter < 200; ++iter) {
    auto a = Agreement::FromJson(RandomAgreement(rng, false));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto lines = RandomLines(rng, 1 + rng.Uniform(30), false);
    std::map<std::string, Amount> per_payee;
    SettleInBatches(*a, lines, rng, &per_payee, true);
  }
}

// Unit by unit, no payee's cumulative amount ever goes down (fine-grained batches are
// where largest remainder on cumulative totals would show the Alabama paradox).
TEST(Engine, CumulativeAmountsAreMonotoneUnitByUnit) {
  DeterministicRng rng(31337);
  for (int iter = 0; iter < 30; ++iter) {
    auto a = Agreement::FromJson(RandomAgreement(rng, false));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    std::map<std::string, Amount> prev;
    for (Amount g = 0; g <= 1500; ++g) {
      auto s = Evaluate(*a, g);
      ASSERT_TRUE(s.ok());
      std::map<std::string, Amount> now;
      for (const auto& [id, t] : s->tiers)
        for (const auto& [payee, amount] : t.paid) now[payee] += amount;
      for (const auto& [payee, amount] : prev)
        ASSERT_GE(now[payee], amount) << payee << " at " << g;
      prev = std::move(now);
    }
  }
}

TEST(Engine, ProportionalSharesStayWithinQuotaOfCumulativeAmounts) {
  auto a = Agreement::Parse(testdata::kConcertAgreement);
  ASSERT_TRUE(a.ok());
  const std::map<std::string, int64_t> bp = {
      {"ipowner", 3500}, {"studio", 3000}, {"voice", 1500}, {"mocap", 1000}};
  for (Amount g = 0; g < 4000; g += 7) {
    auto s = Evaluate(*a, g);
    ASSERT_TRUE(s.ok());
    const TierState& profit = s->tiers.at("profit");
    for (const auto& [payee, w] : bp) {
      __int128 exact = __int128{profit.input} * w;
      Amount lo = static_cast<Amount>(exact / 10000);
      Amount got = profit.paid.at(payee);
      ASSERT_GE(got, lo);
      ASSERT_LE(got, lo + (exact % 10000 != 0));
    }
  }
}

TEST(Engine, StateJsonRoundTrip) {
  auto a = Agreement::Parse(testdata::kConcertAgreement);
  auto s = Evaluate(*a, 151'324'114);
  ASSERT_TRUE(s.ok());
  auto back = StateFromJson(StateToJson(*s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *s);
  Json bad = StateToJson(*s);
  bad["tiers"]["profit"]["paid"]["voice"] = 1;
  auto refused = StateFromJson(bad);
  EXPECT_EQ(refused.status().field(), "state.tiers");
  bad = StateToJson(*s);
  bad["extra"] = 0;
  EXPECT_EQ(StateFromJson(bad).status().field(), "state.extra");
}

RevenueLine Cny(std::string key, Amount amount) {
  return {key, "", amount, "CNY", "CN", "ticketing", "2025-07", ""};
}

TEST(Engine, BadLines) {
  auto a = Agreement::Parse(testdata::kConcertAgreement);
  ASSERT_TRUE(a.ok());
  auto settle = [&](std::vector<RevenueLine> lines) {
    return Settle(*a, SettlementState{}, "2025-07", lines).status();
  };
  // An amount beyond the exact range: refused before any arithmetic.
  Status s = settle({Cny("a", 1), Cny("b", INT64_MAX - 1)});
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.field(), "lines[1].amount");
  // Each line in range, but their sum would overflow the exact range.
  s = settle({Cny("a", kMaxAmount), Cny("b", kMaxAmount), Cny("c", -1)});
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.field(), "lines");
  // A line in another currency.
  RevenueLine usd = Cny("u", 100);
  usd.currency = "USD";
  s = settle({Cny("a", 1), usd});
  EXPECT_EQ(s.field(), "lines[1].currency");
  usd.currency = "XXX";
  EXPECT_EQ(settle({usd}).field(), "lines[0].currency");
  // The same idempotency key with different content.
  s = settle({Cny("a", 1), Cny("a", 2)});
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(s.field(), "lines[1].idempotency_key");
  // Another work's line.
  RevenueLine other = Cny("o", 1);
  other.work = "concert:someone-else";
  EXPECT_EQ(settle({other}).field(), "lines[0].work");
  RevenueLine month = Cny("m", 1);
  month.period = "2025-7";
  EXPECT_EQ(settle({month}).field(), "lines[0].period");
  EXPECT_EQ(Settle(*a, SettlementState{}, "", {}).status().field(), "period");
  // A state whose payments do not add up to its receipts.
  SettlementState broken;
  broken.gross = 10;
  EXPECT_EQ(Settle(*a, broken, "2025-07", {}).status().field(), "state.tiers");
}

TEST(Engine, AmendmentCarriesStateByTierId) {
  auto v1 = Agreement::Parse(testdata::kConcertAgreement);
  ASSERT_TRUE(v1.ok());
  std::vector<RevenueLine> lines = {Cny("a", 10'000'000)};
  auto p1 = Settle(*v1, SettlementState{}, "2025-07", lines);
  ASSERT_TRUE(p1.ok());
  // Version 2 drops the corridor and raises the platform fee to 15%.
  Json v2_doc = v1->ToJson();
  v2_doc["version"] = 2;
  v2_doc["tiers"].erase(1);
  v2_doc["tiers"][0]["rate"] = {{"bp", 1500}};
  auto v2 = Agreement::FromJson(v2_doc);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  std::vector<RevenueLine> more = {Cny("b", 5'000'000)};
  auto p2 = Settle(*v2, p1->state, "2025-08", more);
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  Amount sum = 0;
  for (const PayeeAmount& p : p2->payees) sum += p.amount;
  EXPECT_EQ(sum, 5'000'000);
  // The retired corridor's payments are reversed; the new terms apply to all
  // receipts so far: 15% of 15,000,000 minus the 12% of 10,000,000 already paid.
  const TraceStep& last = p2->trace.back();
  EXPECT_TRUE(last.retired);
  EXPECT_EQ(last.tier_id, "ip-corridor");
  EXPECT_EQ(last.paid, (std::vector<PayeeAmount>{{"ipowner", -440'000}}));
  EXPECT_EQ(p2->trace[0].paid, (std::vector<PayeeAmount>{{"platform", 2'250'000 - 1'200'000}}));
  EXPECT_EQ(p2->state, *Evaluate(*v2, 15'000'000));
}

// Notes, "Composing a waterfall" 4: flattening can differ by a unit, so the agreement
// says which applies. Shares a 1, pool 1 (x 1, y 1); 3 units to divide.
TEST(Engine, HierarchicalAndFlattenedNestingDifferByAUnit) {
  Json doc = {
      {"format", "vtrust-agreement/1"},
      {"id", "nest"},
      {"version", 1},
      {"work", "w"},
      {"currency", "CNY"},
      {"parties",
       {{{"id", "a"}, {"name", "A"}}, {{"id", "x"}, {"name", "X"}}, {{"id", "y"}, {"name", "Y"}}}},
      {"tiers",
       {{{"id", "split"},
         {"kind", "shares"},
         {"unit", "units"},
         {"shares",
          {{{"payee", "a"}, {"weight", 1}},
           {{"pool",
             {{"id", "pool"},
              {"tiers",
               {{{"id", "pool-split"},
                 {"kind", "shares"},
                 {"unit", "units"},
                 {"shares",
                  {{{"payee", "x"}, {"weight", 1}}, {{"payee", "y"}, {"weight", 1}}}}}}}}},
            {"weight", 1}}}}}}}};
  // Hierarchical: a and pool (cycle 2): 3 = 1 x 2 + 1; unit 1: both deadlines 2, both
  // deficits 1 -> the lower key, "a". a 2, pool 1; the pool's 1 unit: x (same tie).
  auto h = Agreement::FromJson(doc);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto hs = Evaluate(*h, 3);
  ASSERT_TRUE(hs.ok());
  EXPECT_EQ(hs->tiers.at("split").paid.at("a"), 2);
  EXPECT_EQ(hs->tiers.at("pool-split").paid.at("x"), 1);
  EXPECT_EQ(hs->tiers.at("pool-split").paid.at("y"), 0);
  // Flattened: a 1/2, x 1/4, y 1/4 -> weights 2, 1, 1 (cycle 4).
  //   unit 1: deadlines a ceil(4/2)=2, x 4, y 4 -> a
  //   unit 2: a's deficit 2x2 - 1x4 = 0, not eligible; x, y: deadline 4, deficit 2 -> x
  //   unit 3: a: deficit 3x2 - 4 = 2, deadline ceil(2x4/2) = 4; x: 3 - 4 < 0;
  //           y: deficit 3, deadline 4 -> same deadline, larger deficit: y
  // a 1, x 1, y 1 (exact shares 1.5, 0.75, 0.75).
  doc["nesting"] = "flattened";
  auto f = Agreement::FromJson(doc);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto fs = Evaluate(*f, 3);
  ASSERT_TRUE(fs.ok());
  EXPECT_EQ(fs->tiers.at("split").paid.at("a"), 1);
  EXPECT_EQ(fs->tiers.at("pool-split").paid.at("x"), 1);
  EXPECT_EQ(fs->tiers.at("pool-split").paid.at("y"), 1);
  EXPECT_EQ(fs->tiers.at("pool-split").input, 2);
  EXPECT_EQ(fs->tiers.at("split").taken, 3);
}

TEST(Engine, NegativeCumulativeReceiptsMirror) {
  auto a = Agreement::Parse(testdata::kConcertAgreement);
  auto pos = Evaluate(*a, 123'457);
  auto neg = Evaluate(*a, -123'457);
  ASSERT_TRUE(pos.ok() && neg.ok());
  for (const auto& [id, t] : pos->tiers)
    for (const auto& [payee, amount] : t.paid) EXPECT_EQ(neg->tiers.at(id).paid.at(payee), -amount);
}

}  // namespace
}  // namespace vt::settlement

// ---- Rounding rules (docs/settlement.md, "Rounding rules") ----

namespace vt::settlement {
namespace {

// An agreement whose waterfall is an optional fee and then one shares tier of
// `weights` among payees "a", "b", "c", ... (ids in weight order).
Json SharesAgreement(const std::vector<int64_t>& weights, const std::string& rounding,
                     bool fee = false) {
  Json parties = Json::array(), shares = Json::array();
  for (size_t i = 0; i < weights.size(); ++i) {
    std::string id(1, static_cast<char>('a' + i));
    parties.push_back({{"id", id}, {"name", "Party " + id}});
    shares.push_back({{"payee", id}, {"weight", weights[i]}});
  }
  parties.push_back({{"id", "fee"}, {"name", "Fee"}});
  Json tiers = Json::array();
  if (fee)
    tiers.push_back({{"id", "f"}, {"kind", "fee"}, {"payee", "fee"}, {"rate", {{"bp", 1234}}}});
  tiers.push_back({{"id", "s"}, {"kind", "shares"}, {"unit", "units"}, {"shares", shares}});
  Json doc = {{"format", "vtrust-agreement/1"},
              {"id", "r"},
              {"version", 1},
              {"work", "w"},
              {"currency", "CNY"},
              {"parties", parties},
              {"tiers", tiers}};
  if (!rounding.empty()) doc["rounding"] = rounding;
  return doc;
}

std::vector<RevenueLine> Units(const std::vector<Amount>& amounts) {
  std::vector<RevenueLine> out;
  for (size_t i = 0; i < amounts.size(); ++i)
    out.push_back(
        {"u" + std::to_string(i), "", amounts[i], "CNY", "CN", "ticketing", "2025-07", ""});
  return out;
}

// Settles one period per amount; returns the cumulative amount per payee.
std::map<std::string, Amount> PerPeriod(const Agreement& a, const std::vector<Amount>& amounts) {
  SettlementState state;
  std::map<std::string, Amount> total;
  auto lines = Units(amounts);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto s = Settle(a, state, "p" + std::to_string(i), std::span(&lines[i], 1));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return total;
    for (const PayeeAmount& p : s->payees) total[p.payee] += p.amount;
    state = s->state;
  }
  return total;
}

TEST(Rounding, TermsNameTheRuleAndRoundTrip) {
  for (std::string rule : {"quota", "largest_remainder"}) {
    Json doc = SharesAgreement({1, 1}, rule);
    auto a = Agreement::FromJson(doc);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->ToJson(), doc);
    EXPECT_EQ(a->effective_rounding(),
              rule == "quota" ? Rounding::kQuota : Rounding::kLargestRemainder);
  }
  auto plain = Agreement::FromJson(SharesAgreement({1, 1}, ""));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->effective_rounding(), Rounding::kQuota);
  EXPECT_FALSE(plain->ToJson().contains("rounding"));  // the default stays absent
  auto bad = Agreement::FromJson(SharesAgreement({1, 1}, "banker"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "rounding");
}

TEST(Rounding, ExplainStatesTheRule) {
  auto lr = Agreement::FromJson(SharesAgreement({1, 2}, "largest_remainder"));
  auto quota = Agreement::FromJson(SharesAgreement({1, 2}, "quota"));
  ASSERT_TRUE(lr.ok() && quota.ok());
  EXPECT_NE(ExplainAgreement(*lr).find("divided by largest remainder"), std::string::npos);
  EXPECT_NE(ExplainAgreement(*quota).find("by the quota rule"), std::string::npos);
}

// The Alabama-paradox weights (6, 6, 2): 10 then 11 units. Quota gives the same
// totals however the 11 units are grouped; largest remainder per increment gives
// (5, 5, 1) in one period but (4, 4, 2) + (1, 0, 0) = (5, 4, 2) in two, and never
// takes a unit back (largest remainder on cumulative totals would pay c -1).
TEST(Rounding, LargestRemainderPerIncrementDependsOnBatching) {
  auto lr = Agreement::FromJson(SharesAgreement({6, 6, 2}, "largest_remainder"));
  auto quota = Agreement::FromJson(SharesAgreement({6, 6, 2}, "quota"));
  ASSERT_TRUE(lr.ok() && quota.ok());
  using M = std::map<std::string, Amount>;
  EXPECT_EQ(PerPeriod(*lr, {11}), (M{{"a", 5}, {"b", 5}, {"c", 1}}));
  EXPECT_EQ(PerPeriod(*lr, {10, 1}), (M{{"a", 5}, {"b", 4}, {"c", 2}}));
  EXPECT_EQ(PerPeriod(*quota, {11}), PerPeriod(*quota, {10, 1}));
  // Equal weights, one unit at a time: the ties go to the smallest id each time.
  auto thirds = Agreement::FromJson(SharesAgreement({1, 1, 1}, "largest_remainder"));
  ASSERT_TRUE(thirds.ok());
  EXPECT_EQ(PerPeriod(*thirds, {3}), (M{{"a", 1}, {"b", 1}, {"c", 1}}));
  EXPECT_EQ(PerPeriod(*thirds, {1, 1, 1}), (M{{"a", 3}, {"b", 0}, {"c", 0}}));
}

// Property: under largest remainder every period's increase of a shares tier is
// split exactly as Allocate splits it (within one unit of each exact share), the
// period sums to its receipts, and with growing receipts nobody is paid back.
TEST(Rounding, LargestRemainderSplitsEveryIncrementLikeAllocate) {
  DeterministicRng rng(4242);
  for (int iter = 0; iter < 300; ++iter) {
    std::vector<int64_t> weights;
    std::vector<Party> parties;
    for (size_t i = 0, n = 1 + rng.Uniform(6); i < n; ++i) {
      weights.push_back(static_cast<int64_t>(rng.Uniform(1000)) + (i == 0));
      parties.push_back({std::string(1, static_cast<char>('a' + i)), weights.back()});
    }
    bool fee = rng.Uniform(2);
    auto a = Agreement::FromJson(SharesAgreement(weights, "largest_remainder", fee));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    SettlementState state;
    for (int period = 0; period < 6; ++period) {
      auto lines = Units({static_cast<Amount>(rng.Uniform(rng.Uniform(2) ? 50 : 5'000'000))});
      auto s = Settle(*a, state, "p" + std::to_string(period), lines);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      Amount sum = 0;
      for (const PayeeAmount& p : s->payees) {
        sum += p.amount;
        EXPECT_GE(p.amount, 0) << p.payee << " paid back while receipts grew";
      }
      EXPECT_EQ(sum, s->net_receipts);
      const TraceStep& shares = s->trace.back();
      ASSERT_EQ(shares.tier_id, "s");
      auto expected = Allocate(shares.input_after - shares.input_before, parties);
      ASSERT_TRUE(expected.ok());
      for (size_t i = 0; i < parties.size(); ++i) {
        Amount got = 0;
        for (const PayeeAmount& p : shares.paid)
          if (p.payee == parties[i].id) got = p.amount;
        EXPECT_EQ(got, (*expected)[i]) << "iteration " << iter << " payee " << parties[i].id;
      }
      state = s->state;
    }
  }
}

// Property over random waterfalls (pools, both nestings, refunds): largest
// remainder pays out every period exactly; with growing receipts and "remaining"
// bases nobody is paid back; explicit "quota" is the default rule and stays
// batching-invariant.
TEST(Rounding, BothRulesAreExactOverRandomWaterfalls) {
  DeterministicRng rng(99);
  for (int iter = 0; iter < 150; ++iter) {
    Json doc = RandomAgreement(rng, false);
    doc["rounding"] = "largest_remainder";
    auto lr = Agreement::FromJson(doc);
    ASSERT_TRUE(lr.ok()) << lr.status().ToString();
    std::map<std::string, Amount> per_payee;
    SettleInBatches(*lr, RandomLines(rng, 1 + rng.Uniform(20), false), rng, &per_payee, true);
    SettleInBatches(*lr, RandomLines(rng, 1 + rng.Uniform(20), true), rng, &per_payee, false);

    doc["rounding"] = "quota";
    auto quota = Agreement::FromJson(doc);
    doc.erase("rounding");
    auto plain = Agreement::FromJson(doc);
    ASSERT_TRUE(quota.ok() && plain.ok());
    auto lines = RandomLines(rng, 1 + rng.Uniform(20), true);
    auto once = Settle(*quota, SettlementState{}, "all", lines);
    auto once_plain = Settle(*plain, SettlementState{}, "all", lines);
    ASSERT_TRUE(once.ok() && once_plain.ok());
    EXPECT_EQ(once->state, once_plain->state);
    std::map<std::string, Amount> batched;
    EXPECT_EQ(SettleInBatches(*quota, lines, rng, &batched, false), once->state);
  }
}

}  // namespace
}  // namespace vt::settlement
