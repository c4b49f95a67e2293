#include "settlement/statement.h"

#include <gtest/gtest.h>

#include "settlement/concert_testdata.h"
#include "settlement/explain.h"

namespace vt::settlement {
namespace {

RevenueLine Line(std::string key, Amount amount, std::string channel, std::string period) {
  return {key, "", amount, "CNY", "CN", channel, period, ""};
}

struct Fixture {
  Agreement agreement;
  Settlement p1, p2;
};

Fixture Concert() {
  Fixture f{*Agreement::Parse(testdata::kConcertAgreement), {}, {}};
  std::vector<RevenueLine> l1 = {Line("tix-0701", 49'664'000, "ticketing", "2025-07"),
                                 Line("stream-0701", 44'200'023, "streaming", "2025-07")};
  std::vector<RevenueLine> l2 = {Line("tix-0815", 58'200'000, "ticketing", "2025-08"),
                                 Line("refund-0816", -1'940'000, "ticketing", "2025-08"),
                                 Line("stream-0815", 1'200'091, "streaming", "2025-08")};
  f.p1 = *Settle(f.agreement, SettlementState{}, "2025-07", l1);
  f.p2 = *Settle(f.agreement, f.p1.state, "2025-08", l2);
  return f;
}

Amount SumCsvColumn(const std::string& csv, const std::string& row_kind, size_t column) {
  Amount sum = 0;
  size_t pos = 0;
  while (pos < csv.size()) {
    size_t eol = csv.find("\r\n", pos);
    std::string line = csv.substr(pos, eol - pos);
    pos = eol + 2;
    std::vector<std::string> cells;
    size_t from = 0;
    for (size_t comma; (comma = line.find(',', from)) != std::string::npos; from = comma + 1)
      cells.push_back(line.substr(from, comma - from));
    cells.push_back(line.substr(from));
    if (cells[0] == row_kind) sum += std::stoll(cells[column]);
  }
  return sum;
}

TEST(Statement, GoldenBytesForOnePayee) {
  Fixture f = Concert();
  auto json = StatementJson(f.agreement, f.p2, "ipowner", "sha256:00");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(*json,
            R"({"agreement":{"digest":"sha256:00","id":"lumi-starlight-2025","version":1},)"
            R"("currency":"CNY","format":"vtrust-statement/1","items":[{"amount":869983,)"
            R"("cumulative":5000000,"kind":"corridor","label":"character-IP corridor",)"
            R"("tier":"ip-corridor"},{"amount":17125521,"cumulative":30857828,"kind":"shares",)"
            R"("label":"profit shares","tier":"profit"}],"payee":{"id":"ipowner",)"
            R"("name":"Aurora Character IP Co.","role":"owner of the character Hoshino Lumi"},)"
            R"("period":"2025-08","receipts":{"cumulative":151324114,"period":57460091},)"
            R"("scale":2,"total":{"amount":17995504,"cumulative":35857828},)"
            R"("work":"concert:lumi-starlight-2025"})");
  auto csv = StatementCsv(f.agreement, f.p2, "ipowner");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv,
            "row,agreement_id,agreement_version,period,currency,payee,tier,kind,label,"
            "amount_minor,amount,cumulative_minor,cumulative\r\n"
            "item,lumi-starlight-2025,1,2025-08,CNY,ipowner,ip-corridor,corridor,"
            "character-IP corridor,869983,8699.83,5000000,50000.00\r\n"
            "item,lumi-starlight-2025,1,2025-08,CNY,ipowner,profit,shares,profit shares,"
            "17125521,171255.21,30857828,308578.28\r\n"
            "total,lumi-starlight-2025,1,2025-08,CNY,ipowner,,,,17995504,179955.04,35857828,"
            "358578.28\r\n");
}

TEST(Statement, EveryStatementSumsToTheFen) {
  Fixture f = Concert();
  for (const Settlement* s : {&f.p1, &f.p2}) {
    Amount all = 0;
    for (const PayeeAmount& p : s->payees) {
      auto st = BuildStatement(f.agreement, *s, p.payee);
      ASSERT_TRUE(st.ok());
      Amount items = 0;
      for (const StatementItem& i : st->items) items += i.amount;
      EXPECT_EQ(items, st->total);
      EXPECT_EQ(st->total, p.amount);
      EXPECT_EQ(st->cumulative_total, s->state.PaidTo(p.payee));
      all += st->total;
      // The JSON and CSV renderings say the same.
      Json j = *ParseJsonStrict(*StatementJson(f.agreement, *s, p.payee, "sha256:00"));
      Amount json_items = 0;
      for (const Json& i : j["items"]) json_items += i["amount"].get<Amount>();
      EXPECT_EQ(json_items, j["total"]["amount"].get<Amount>());
      std::string csv = *StatementCsv(f.agreement, *s, p.payee);
      EXPECT_EQ(SumCsvColumn(csv, "item", 9), SumCsvColumn(csv, "total", 9));
      EXPECT_EQ(SumCsvColumn(csv, "total", 9), p.amount);
    }
    EXPECT_EQ(all, s->net_receipts);
    // The summary lists every payee; its amounts sum to the net receipts.
    Json summary = *ParseJsonStrict(*SummaryJson(f.agreement, *s, "sha256:00"));
    Amount sum = 0, cumulative = 0;
    for (const Json& p : summary["payees"]) {
      sum += p["amount"].get<Amount>();
      cumulative += p["cumulative"].get<Amount>();
    }
    EXPECT_EQ(sum, summary["total"].get<Amount>());
    EXPECT_EQ(sum, s->net_receipts);
    EXPECT_EQ(cumulative, s->gross_after);
    std::string csv = SummaryCsv(f.agreement, *s);
    EXPECT_EQ(SumCsvColumn(csv, "payee", 7), s->net_receipts);
    EXPECT_EQ(SumCsvColumn(csv, "total", 7), s->net_receipts);
    EXPECT_EQ(SumCsvColumn(csv, "payee", 9), s->gross_after);
  }
}

TEST(Statement, SameInputsSameBytes) {
  Fixture a = Concert(), b = Concert();
  for (const PayeeAmount& p : a.p2.payees) {
    EXPECT_EQ(*StatementJson(a.agreement, a.p2, p.payee, "d"),
              *StatementJson(b.agreement, b.p2, p.payee, "d"));
    EXPECT_EQ(*StatementCsv(a.agreement, a.p2, p.payee), *StatementCsv(b.agreement, b.p2, p.payee));
  }
  EXPECT_EQ(*SummaryJson(a.agreement, a.p2, "d"), *SummaryJson(b.agreement, b.p2, "d"));
}

TEST(Statement, UnknownPayeeAndCsvQuoting) {
  Fixture f = Concert();
  auto st = BuildStatement(f.agreement, f.p2, "nobody");
  EXPECT_EQ(st.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(st.status().field(), "payee");
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\r\nlines"), "\"two\r\nlines\"");
  // A label with a comma and quotes survives in a CSV statement.
  Json doc = f.agreement.ToJson();
  doc["tiers"][1]["label"] = "IP corridor, \"Lumi\"";
  Agreement amended = *Agreement::FromJson(doc);
  std::vector<RevenueLine> lines = {Line("x", 100000, "ticketing", "2025-07")};
  Settlement s = *Settle(amended, SettlementState{}, "2025-07", lines);
  std::string csv = *StatementCsv(amended, s, "ipowner");
  EXPECT_NE(csv.find(",\"IP corridor, \"\"Lumi\"\"\","), std::string::npos) << csv;
}

TEST(Explain, ConcertWaterfallInPlainWords) {
  Fixture f = Concert();
  EXPECT_EQ(ExplainAgreement(f.agreement),
            "Agreement lumi-starlight-2025, version 1: Hoshino Lumi - Starlight live concert 2025\n"
            "Work concert:lumi-starlight-2025; amounts in CNY with 2 decimal places.\n"
            "Applies to revenue in territories CN, HK, MO, on channels ticketing, streaming, "
            "earned from 2025-07 to 2025-12.\n"
            "Each tier works on cumulative receipts; each period pays what changed.\n"
            "1. Tianyin Live (platform) takes a fee of 12% of gross receipts (platform fee).\n"
            "2. Aurora Character IP Co. (ipowner) takes a corridor of 5% of what remains, up to "
            "50,000.00 CNY in total (character-IP corridor).\n"
            "3. Nebula Studio (studio) recoups 400,000.00 CNY (production cost) from 50% of what "
            "remains until recouped.\n"
            "4. What remains is shared (profit shares): Aurora Character IP Co. (ipowner) 35%, "
            "Nebula Studio (studio) 30%, Chen Yu (voice) 15%, Lin Xiao (mocap) 10%, the music and "
            "dance pool (pool music-pool) 10%.\n"
            "   Within the music and dance pool (pool music-pool), its amount is divided again:\n"
            "  4.1. What remains is shared: Zhou Ming (composer) 3 of 5 units, Su Qing (choreo) 2 "
            "of 5 units.\n"
            "Pools are hierarchical: each pool divides the whole amount it received.\n"
            "Rounding: percentages round down on cumulative amounts; shares are divided unit by "
            "unit by the quota rule, so every minor unit is paid to someone.\n");
}

TEST(Explain, SettlementTraceNamesWhatEachTierTook) {
  Fixture f = Concert();
  std::string text = ExplainSettlement(f.agreement, f.p2);
  EXPECT_NE(text.find("Net receipts this period: 574,600.91 CNY (3 lines counted"),
            std::string::npos);
  EXPECT_NE(
      text.find("2. ip-corridor (corridor): received 1,331,652.21 CNY in total, took 50,000.00 "
                "CNY in total (before 41,300.17 CNY); this period Aurora Character IP Co. "
                "(ipowner) 8,699.83 CNY."),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("pool music-pool 48,930.06 CNY"), std::string::npos);
  EXPECT_NE(text.find("  Total: 574,600.91 CNY\n"), std::string::npos);
  EXPECT_EQ(FormatMoney(-123456789, *FindCurrency("CNY")), "-1,234,567.89 CNY");
  EXPECT_EQ(FormatMoney(1000, *FindCurrency("JPY")), "1,000 JPY");
  EXPECT_EQ(FormatMoney(1234, *FindCurrency("BHD")), "1.234 BHD");
}

}  // namespace
}  // namespace vt::settlement
