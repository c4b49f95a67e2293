// The worked example of docs/settlement.md: a virtual-idol concert settled over two periods.
// Every expected number below is computed by hand in the comments; the engine must
// reproduce them to the fen.
#include <gtest/gtest.h>

#include "settlement/concert_testdata.h"
#include "settlement/engine.h"

namespace vt::settlement {
namespace {

RevenueLine Line(std::string key, Amount amount, std::string channel, std::string period,
                 std::string territory = "CN") {
  return {key,         "concert:lumi-starlight-2025", amount, "CNY", territory, channel, period,
          "ref-" + key};
}

// Period 1 (2025-07): the first show.
//   tix-0701      ticketing  1,280 tickets x 388.00 =  496,640.00 CNY = 49,664,000 fen
//   stream-0701   streaming                            442,000.23 CNY = 44,200,023 fen
//   merch-0701    merch (outside the scope's channels: not counted)     1,000,000 fen
std::vector<RevenueLine> Period1() {
  return {Line("tix-0701", 49'664'000, "ticketing", "2025-07"),
          Line("stream-0701", 44'200'023, "streaming", "2025-07"),
          Line("merch-0701", 1'000'000, "merch", "2025-07")};
}

// Period 2 (2025-08): the second show, a refund, and a replayed line.
//   tix-0815      ticketing  1,500 tickets x 388.00 =  582,000.00 CNY = 58,200,000 fen
//   refund-0816   ticketing     50 tickets x 388.00 = -19,400.00 CNY = -1,940,000 fen
//   stream-0815   streaming                             12,000.91 CNY =  1,200,091 fen
//   tix-0815      again, byte for byte: a replay, counted once
std::vector<RevenueLine> Period2() {
  return {Line("tix-0815", 58'200'000, "ticketing", "2025-08"),
          Line("refund-0816", -1'940'000, "ticketing", "2025-08"),
          Line("stream-0815", 1'200'091, "streaming", "2025-08"),
          Line("tix-0815", 58'200'000, "ticketing", "2025-08")};
}

Amount Sum(const std::vector<PayeeAmount>& v) {
  Amount s = 0;
  for (const auto& p : v) s += p.amount;
  return s;
}

TEST(Concert, TwoPeriodsByHand) {
  auto agreement = Agreement::Parse(testdata::kConcertAgreement);
  ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();

  // ---- Period 1. Net receipts in scope G1 = 49,664,000 + 44,200,023 = 93,864,023.
  // 1. platform-fee, 12% of gross:   floor(93,864,023 x 1200/10000)
  //                                 = floor(11,263,682.76)         = 11,263,682
  //    remaining R1 = 93,864,023 - 11,263,682                       = 82,600,341
  // 2. ip-corridor, 5% of remaining: floor(82,600,341 x 500/10000)
  //                                 = floor(4,130,017.05)          =  4,130,017
  //    (cap 5,000,000 not reached)   R2 = 82,600,341 - 4,130,017    = 78,470,324
  // 3. production-recoupment, 1/2 of remaining up to 40,000,000:
  //    floor(78,470,324 / 2) = 39,235,162 (< cap)                   = 39,235,162
  //    R3 = 78,470,324 - 39,235,162                                 = 39,235,162
  // 4. profit shares of 39,235,162, bp 3500/3000/1500/1000/1000, divided by their
  //    gcd 500: ipowner 7, studio 6, voice 3, mocap 2, music-pool 2; sum (cycle) 20.
  //    39,235,162 = 20 x 1,961,758 + 2, so each share gets 1,961,758 x its weight:
  //      ipowner 13,732,306  studio 11,770,548  voice 5,885,274
  //      mocap    3,923,516  music-pool 3,923,516        (sum 39,235,160)
  //    and the 2 remaining units follow the quota sequence (apportion.h), parties in
  //    key order ipowner, mocap, music-pool, studio, voice:
  //      unit 1: all are below quota; deadlines ceil(20/7)=3, ceil(20/2)=10, 10,
  //              ceil(20/6)=4, ceil(20/3)=7 -> ipowner (3)
  //      unit 2: ipowner holds 1 >= 2 x 7/20 = 0.7, not eligible; deadlines mocap 10,
  //              music-pool 10, studio 4, voice 7 -> studio (4)
  //    (largest remainder would pick the same: quotas 0.7, 0.2, 0.2, 0.6, 0.3)
  //      ipowner 13,732,307  studio 11,770,549  voice 5,885,274
  //      mocap    3,923,516  music-pool 3,923,516        (sum 39,235,162)
  // 5. music-split of the pool's 3,923,516, units composer 3, choreo 2 (cycle 5):
  //    3,923,516 = 5 x 784,703 + 1 -> choreo 1,569,406, composer 2,354,109, and unit 1
  //    goes to the earlier deadline: choreo ceil(5/2)=3, composer ceil(5/3)=2 ->
  //    composer.   choreo 1,569,406   composer 2,354,110            (sum 3,923,516)
  // Payees:  platform 11,263,682
  //          ipowner   4,130,017 + 13,732,307 = 17,862,324
  //          studio   39,235,162 + 11,770,549 = 51,005,711
  //          voice     5,885,274   mocap 3,923,516
  //          composer  2,354,110   choreo 1,569,406
  //  sum: 11,263,682 + 17,862,324 + 51,005,711 + 5,885,274 + 3,923,516
  //       + 2,354,110 + 1,569,406 = 93,864,023 = G1.
  auto p1_lines = Period1();
  auto p1 = Settle(*agreement, SettlementState{}, "2025-07", p1_lines);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(p1->net_receipts, 93'864'023);
  EXPECT_EQ(p1->out_of_scope, std::vector<size_t>{2});
  EXPECT_EQ(p1->payees, (std::vector<PayeeAmount>{{"choreo", 1'569'406},
                                                  {"composer", 2'354'110},
                                                  {"ipowner", 17'862'324},
                                                  {"mocap", 3'923'516},
                                                  {"platform", 11'263'682},
                                                  {"studio", 51'005'711},
                                                  {"voice", 5'885'274}}));
  EXPECT_EQ(Sum(p1->payees), p1->net_receipts);
  EXPECT_EQ(p1->state.tiers.at("production-recoupment").taken, 39'235'162);

  // ---- Period 2. Net receipts 58,200,000 - 1,940,000 + 1,200,091 = 57,460,091 (the
  // replay is not counted); cumulative G2 = 93,864,023 + 57,460,091 = 151,324,114.
  // 1. platform-fee: floor(151,324,114 x 0.12) = floor(18,158,893.68) = 18,158,893;
  //    this period 18,158,893 - 11,263,682                           =  6,895,211
  //    R1 = 151,324,114 - 18,158,893                                 = 133,165,221
  // 2. ip-corridor: floor(133,165,221 x 0.05) = 6,658,261 > cap, so 5,000,000;
  //    this period 5,000,000 - 4,130,017                             =    869,983
  //    R2 = 133,165,221 - 5,000,000                                  = 128,165,221
  // 3. recoupment: floor(128,165,221 / 2) = 64,082,610 > cap, so 40,000,000 (fully
  //    recouped); this period 40,000,000 - 39,235,162                =    764,838
  //    R3 = 128,165,221 - 40,000,000                                 =  88,165,221
  // 4. profit: 88,165,221 = 20 x 4,408,261 + 1:
  //      ipowner 7 x 4,408,261 = 30,857,827, studio 6x = 26,449,566, voice 3x =
  //      13,224,783, mocap 2x = 8,816,522, music-pool 2x = 8,816,522; unit 1 goes to
  //      ipowner (deadline 3, as in period 1) -> ipowner 30,857,828.
  //    This period (cumulative minus period 1):
  //      ipowner 30,857,828 - 13,732,307 = 17,125,521
  //      studio  26,449,566 - 11,770,549 = 14,679,017
  //      voice   13,224,783 -  5,885,274 =  7,339,509
  //      mocap    8,816,522 -  3,923,516 =  4,893,006
  //      pool     8,816,522 -  3,923,516 =  4,893,006
  // 5. music-split of 8,816,522 = 5 x 1,763,304 + 2: choreo 3,526,608, composer
  //    5,289,912; unit 1 -> composer (deadline 2 < 3); unit 2: choreo deficit
  //    2x2 - 0x5 = 4 > 0, deadline 3; composer deficit 2x3 - 1x5 = 1 > 0, deadline
  //    ceil(2x5/3) = 4 -> choreo.  choreo 3,526,609, composer 5,289,913.
  //    This period: choreo 3,526,609 - 1,569,406 = 1,957,203
  //                 composer 5,289,913 - 2,354,110 = 2,935,803
  // Payees:  platform 6,895,211
  //          ipowner    869,983 + 17,125,521 = 17,995,504
  //          studio     764,838 + 14,679,017 = 15,443,855
  //          voice 7,339,509  mocap 4,893,006  composer 2,935,803  choreo 1,957,203
  //  sum: 6,895,211 + 17,995,504 + 15,443,855 + 7,339,509 + 4,893,006 + 2,935,803
  //       + 1,957,203 = 57,460,091 = net receipts of period 2.
  auto p2_lines = Period2();
  auto p2 = Settle(*agreement, p1->state, "2025-08", p2_lines);
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_EQ(p2->net_receipts, 57'460'091);
  EXPECT_EQ(p2->gross_after, 151'324'114);
  EXPECT_EQ(p2->replayed, std::vector<size_t>{3});
  EXPECT_EQ(p2->payees, (std::vector<PayeeAmount>{{"choreo", 1'957'203},
                                                  {"composer", 2'935'803},
                                                  {"ipowner", 17'995'504},
                                                  {"mocap", 4'893'006},
                                                  {"platform", 6'895'211},
                                                  {"studio", 15'443'855},
                                                  {"voice", 7'339'509}}));
  EXPECT_EQ(Sum(p2->payees), p2->net_receipts);
  EXPECT_EQ(p2->state.tiers.at("ip-corridor").taken, 5'000'000);
  EXPECT_EQ(p2->state.tiers.at("production-recoupment").taken, 40'000'000);
  EXPECT_EQ(p2->state.tiers.at("music-split").input, 8'816'522);

  // The trace says which tier took what this period, pool after its parent.
  ASSERT_EQ(p2->trace.size(), 5u);
  EXPECT_EQ(p2->trace[1].tier_id, "ip-corridor");
  EXPECT_EQ(p2->trace[1].paid, (std::vector<PayeeAmount>{{"ipowner", 869'983}}));
  EXPECT_EQ(p2->trace[4].tier_id, "music-split");
  EXPECT_EQ(p2->trace[4].pool, "music-pool");
  EXPECT_EQ(p2->trace[4].depth, 1);

  // Batching: the same lines in one period give the same cumulative totals.
  std::vector<RevenueLine> all = p1_lines;
  all.insert(all.end(), p2_lines.begin(), p2_lines.end());
  auto once = Settle(*agreement, SettlementState{}, "2025-H2", all);
  ASSERT_TRUE(once.ok()) << once.status().ToString();
  EXPECT_EQ(once->state, p2->state);
  EXPECT_EQ(once->AmountFor("ipowner"), 17'862'324 + 17'995'504);
}

TEST(Concert, RefundReversesExactly) {
  auto agreement = Agreement::Parse(testdata::kConcertAgreement);
  ASSERT_TRUE(agreement.ok());
  auto p1_lines = Period1();
  auto p1 = Settle(*agreement, SettlementState{}, "2025-07", p1_lines);
  ASSERT_TRUE(p1.ok());
  // Refunding the streaming line in full returns every tier and payee to what the
  // ticketing line alone produces, to the fen.
  std::vector<RevenueLine> refund = {
      Line("stream-0701-refund", -44'200'023, "streaming", "2025-08")};
  auto p2 = Settle(*agreement, p1->state, "2025-08", refund);
  ASSERT_TRUE(p2.ok());
  std::vector<RevenueLine> tickets_only = {p1_lines[0]};
  auto alone = Settle(*agreement, SettlementState{}, "2025-07", tickets_only);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(p2->state, alone->state);
  EXPECT_EQ(Sum(p2->payees), -44'200'023);
  for (const PayeeAmount& p : p2->payees) EXPECT_LE(p.amount, 0) << p.payee;
}

}  // namespace
}  // namespace vt::settlement
