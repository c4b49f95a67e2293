// settle verify's check of a signed statement against its public log entries,
// for version-1 entries (amounts in clear) and version-2 entries (commitments
// opened by the envelope's log_openings).
#include <gtest/gtest.h>

#include "app/core/commitments.h"
#include "app/money/statements.h"
#include "base/encoding.h"

namespace vt::app {
namespace {

std::string Salt(char fill) { return std::string(32, fill); }

Json Envelope() {
  return {{"format", "vtrust-signed-statement/1"},
          {"run", "run_1"},
          {"sha256", std::string(64, 'c')},
          {"log_index", 41},
          {"statement",
           {{"payee", {{"id", "mem_fang"}}},
            {"receipts", {{"period", 93864023}}},
            {"total", {{"amount", 5885274}}}}}};
}

Json StatementEntry(int v, Json total) {
  return {{"type", "statement.issued"},
          {"v", v},
          {"subject", {{"org", "org_a"}, {"run", "run_1"}, {"payee", "mem_fang"}}},
          {"payload", {{"statement_sha256", std::string(64, 'c')}, {"total", total}}}};
}

Json RunEntry(int v, Json net) {
  return {{"type", "settlement.run"},
          {"v", v},
          {"subject", {{"org", "org_a"}, {"run", "run_1"}}},
          {"payload", {{"net_receipts", net}}}};
}

TEST(StatementLogTest, VersionOneEntriesAreCheckedInClear) {
  Json env = Envelope();
  Json run = RunEntry(1, 93864023);
  auto r = CheckStatementLogEntries(env, StatementEntry(1, 5885274), &run);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["total"], "clear");
  EXPECT_EQ((*r)["net_receipts"], "clear");
  EXPECT_FALSE(CheckStatementLogEntries(env, StatementEntry(1, 5885275), nullptr).ok());
  Json other = RunEntry(1, 1);
  EXPECT_FALSE(CheckStatementLogEntries(env, StatementEntry(1, 5885274), &other).ok());
}

TEST(StatementLogTest, VersionTwoCommitmentsAreOpened) {
  std::string total_c = *Commit(Salt('t'), Json(5885274));
  std::string net_c = *Commit(Salt('n'), Json(93864023));
  Json env = Envelope();
  env["log_openings"] = {{{"index", 41},
                          {"field", "/payload/total"},
                          {"commitment", total_c},
                          {"salt", HexEncode(Salt('t'))},
                          {"value", 5885274}},
                         {{"index", 40},
                          {"field", "/payload/net_receipts"},
                          {"commitment", net_c},
                          {"salt", HexEncode(Salt('n'))},
                          {"value", 93864023}}};
  Json run = RunEntry(2, net_c);
  auto r = CheckStatementLogEntries(env, StatementEntry(2, total_c), &run);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["total"], "opened");
  EXPECT_EQ((*r)["net_receipts"], "opened");

  // An opening of another value, a missing opening, a statement of another total.
  Json forged = env;
  forged["log_openings"][0]["value"] = 5885275;
  EXPECT_FALSE(CheckStatementLogEntries(forged, StatementEntry(2, total_c), &run).ok());
  Json bare = Envelope();
  EXPECT_FALSE(CheckStatementLogEntries(bare, StatementEntry(2, total_c), nullptr).ok());
  Json lying = env;
  lying["statement"]["total"]["amount"] = 1;
  EXPECT_FALSE(CheckStatementLogEntries(lying, StatementEntry(2, total_c), nullptr).ok());
  // The entry of another payee or statement.
  Json e = StatementEntry(2, total_c);
  e["subject"]["payee"] = "org_a";
  EXPECT_FALSE(CheckStatementLogEntries(env, e, nullptr).ok());
  e = StatementEntry(2, total_c);
  e["payload"]["statement_sha256"] = std::string(64, 'd');
  EXPECT_FALSE(CheckStatementLogEntries(env, e, nullptr).ok());
}

}  // namespace
}  // namespace vt::app
