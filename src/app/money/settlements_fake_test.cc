// Money use cases against the in-memory repository (store/money/
// memory_money_repo.h): revenue import with replay detection, a settlement run
// and its correction, and a hold and its release. No database.
#include <gtest/gtest.h>

#include "app/money/revenue.h"
#include "app/money/settlements.h"
#include "base/clock.h"
#include "settlement/concert_testdata.h"
#include "store/money/memory_money_repo.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

constexpr const char* kAgreement = "agr_concert";
constexpr const char* kWork = "concert:lumi-starlight-2025";

RevenueLine Line(const std::string& key, int64_t amount, const std::string& period) {
  return {key, kWork, amount, "CNY", "CN", "ticketing", period, ""};
}

std::string EntryType(const std::string& entry) { return Json::parse(entry)["type"]; }

class MoneyFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    member_.org_id = "org_studio";
    member_.member_id = "mem_alice";
    member_.role = Role::kMember;
    Json terms = Json::parse(settlement::testdata::kConcertAgreement);
    terms["id"] = kAgreement;
    Json doc = {{"agreement", kAgreement},
                {"version", 1},
                {"terms", terms},
                {"parties", {"org_platform", "voice"}}};
    repo_.AddAgreementVersion(kAgreement, {"org_studio", "hash1", doc.dump()}, true);
    auto key = crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x07'));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    key_ = std::make_unique<StatementKey>(std::move(key).value());
  }

  StatusOr<ImportResult> Import(const std::vector<RevenueLine>& lines, const std::string& batch) {
    VT_ASSIGN_OR_RETURN(ImportPlan plan, PlanImport(member_, lines));
    return StoreImport(repo_, member_, lines, plan, batch, clock_, &log_);
  }

  StatusOr<RunOutcome> Run(const std::string& id, const std::string& period, bool correction) {
    VT_RETURN_IF_ERROR(AuthorizeRun(member_, period));
    return SettleRun(repo_, member_, {id, kAgreement, period, correction}, *key_, clock_, &log_);
  }

  void ExpectBalanced(const std::string& run_id) {
    Status s = CheckRunBalanced(repo_, run_id, CollectionAccount(kAgreement, "CNY").id);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  std::vector<RevenueLine> July() {
    std::vector<RevenueLine> v;
    for (int i = 0; i < 20; ++i)
      v.push_back(Line("t07-" + std::to_string(i), 1'000'000, "2025-07"));
    return v;
  }

  store::MemoryMoneyRepo repo_;
  FakeClock clock_{1'800'000'000'000};
  Principal member_;
  std::unique_ptr<StatementKey> key_;
  std::vector<std::string> log_;
};

TEST_F(MoneyFakeTest, ImportDetectsReplays) {
  auto first = Import(July(), "rvb_1");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->imported, 20u);
  EXPECT_EQ(first->batch_seq, 1);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(EntryType(log_[0]), "revenue.imported");

  // The same lines again: all duplicates, nothing stored, nothing logged.
  auto replay = Import(July(), "rvb_2");
  ASSERT_TRUE(replay.ok()) << replay.status().ToString();
  EXPECT_EQ(replay->imported, 0u);
  EXPECT_EQ(replay->duplicates.size(), 20u);
  EXPECT_TRUE(replay->batch_id.empty());
  EXPECT_EQ(repo_.batches().size(), 1u);
  EXPECT_EQ(log_.size(), 1u);

  // A known key with different content refuses the whole request.
  std::vector<RevenueLine> changed = {Line("new", 5, "2025-07"), Line("t07-3", 7, "2025-07")};
  auto conflict = Import(changed, "rvb_3");
  EXPECT_EQ(conflict.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(conflict.status().field(), "lines[1].idempotency_key");
  EXPECT_EQ(repo_.line_count(), 20u);
}

TEST_F(MoneyFakeTest, RunPostsBalancedLedgerAndCorrectionReverses) {
  ASSERT_TRUE(Import(July(), "rvb_1").ok());
  log_.clear();
  auto run = Run("run_1", "2025-07", false);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->run.status, RunStatus::kActive);
  EXPECT_EQ(run->run.line_count, 20);
  EXPECT_EQ(run->run.net_receipts, 20'000'000);
  ASSERT_FALSE(run->payees.empty());
  ASSERT_EQ(log_.size(), 1 + run->payees.size());
  EXPECT_EQ(EntryType(log_[0]), "settlement.run");
  EXPECT_EQ(EntryType(log_[1]), "statement.issued");
  ExpectBalanced("run_1");
  auto envelope = repo_.FindStatement("run_1", run->payees[0]);
  ASSERT_TRUE(envelope.ok() && envelope->has_value());
  EXPECT_EQ((*envelope)->key_id, key_->key_id());

  // The settled period again: refused unless a correction.
  EXPECT_EQ(Run("run_2", "2025-07", false).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Run("run_2", "2025-08", true).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Run("run_2", "2025-13", false).status().field(), "period");

  ASSERT_TRUE(Import({Line("t07-late", 500'000, "2025-07")}, "rvb_2").ok());
  log_.clear();
  auto fix = Run("run_3", "2025-07", true);
  ASSERT_TRUE(fix.ok()) << fix.status().ToString();
  EXPECT_EQ(fix->run.corrects, "run_1");
  EXPECT_EQ(fix->run.net_receipts, 20'500'000);
  EXPECT_EQ(EntryType(log_[0]), "ledger.reversal");
  EXPECT_EQ(repo_.runs().at("run_1").status, RunStatus::kCorrected);
  auto old = repo_.RunMovements("run_1");
  auto moves = repo_.RunMovements("run_3");
  ASSERT_TRUE(old.ok() && moves.ok());
  ASSERT_GT(moves->size(), old->size());
  // Newest first, each the mirror of the original.
  EXPECT_EQ((*moves)[0].kind, MovementKind::kReversal);
  EXPECT_EQ((*moves)[0].reverses, old->back().id);
  EXPECT_EQ((*moves)[0].debit_account, old->back().credit_account);
  ExpectBalanced("run_3");
}

TEST_F(MoneyFakeTest, HoldAndRelease) {
  ASSERT_TRUE(Import(July(), "rvb_1").ok());
  auto run = Run("run_1", "2025-07", false);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const std::string payee = run->payees[0];
  log_.clear();
  auto held = HoldShare(repo_, member_, "run_1", payee, "disputed", clock_, &log_);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_EQ((*held)["transfer"]["kind"], "hold");
  EXPECT_GT((*held)["amount"].get<int64_t>(), 0);
  EXPECT_EQ(HoldShare(repo_, member_, "run_1", payee, "again", clock_, &log_).status().code(),
            StatusCode::kAlreadyExists);
  auto released = ReleaseShare(repo_, member_, "run_1", payee, clock_, &log_);
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ((*released)["amount"], (*held)["amount"]);
  EXPECT_EQ(ReleaseShare(repo_, member_, "run_1", payee, clock_, &log_).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_EQ(EntryType(log_[0]), "settlement.hold");
  EXPECT_EQ(EntryType(log_[1]), "settlement.release");
  Principal stranger = member_;
  stranger.org_id = "org_other";
  EXPECT_EQ(HoldShare(repo_, stranger, "run_1", payee, "x", clock_, &log_).status().code(),
            StatusCode::kNotFound);
}

TEST_F(MoneyFakeTest, UnknownWorksAreRefusedUnlessTheLineNamesAnAgreement) {
  repo_.AddWork("wrk_song");
  std::vector<RevenueLine> lines = {Line("a", 1, "2025-07")};
  lines[0].work = "concert:lumi";  // neither registered nor an agreement's work
  Status s = ResolveLineWorks(repo_, member_, lines, {});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.field(), "lines[0].work");
  lines[0].work = "wrk_song";  // registered
  EXPECT_TRUE(ResolveLineWorks(repo_, member_, lines, {}).ok());
  lines[0].work = kWork;  // the work of an agreement of the organization
  EXPECT_TRUE(ResolveLineWorks(repo_, member_, lines, {}).ok());
  // Naming the agreement files the line under its work.
  lines[0].work = "";
  ASSERT_TRUE(ResolveLineWorks(repo_, member_, lines, {kAgreement}).ok());
  EXPECT_EQ(lines[0].work, kWork);
  lines[0].work = "wrk_song";  // another work than the agreement settles
  s = ResolveLineWorks(repo_, member_, lines, {kAgreement});
  EXPECT_EQ(s.field(), "lines[0].work") << s.ToString();
  lines[0].work = "";
  s = ResolveLineWorks(repo_, member_, lines, {"agr_nope"});
  EXPECT_EQ(s.field(), "lines[0].agreement") << s.ToString();
  Principal stranger = member_;
  stranger.org_id = "org_other";  // not its organization's agreement
  s = ResolveLineWorks(repo_, stranger, lines, {kAgreement});
  EXPECT_EQ(s.field(), "lines[0].agreement") << s.ToString();
}

TEST_F(MoneyFakeTest, RunReportsRevenueItDidNotSettle) {
  std::vector<RevenueLine> lines = July();
  RevenueLine merch = Line("merch", 700, "2025-07");
  merch.channel = "merch";  // outside the concert's scope
  RevenueLine usd = Line("usd", 900, "2025-07");
  usd.currency = "USD";
  RevenueLine other = Line("other", 1'234, "2025-07");
  other.work = "wrk_song";  // a registered work no agreement settles
  repo_.AddWork("wrk_song");
  lines.insert(lines.end(), {merch, usd, other});
  ASSERT_TRUE(Import(lines, "rvb_1").ok());
  auto run = Run("run_1", "2025-07", false);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  auto row = repo_.FindRun("run_1");
  ASSERT_TRUE(row.ok() && *row);
  auto version = LoadVersionByHash(repo_, (*row)->agreement_hash);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  auto unsettled = UnsettledRevenue(repo_, **row, version->terms);
  ASSERT_TRUE(unsettled.ok()) << unsettled.status().ToString();
  const Json& u = *unsettled;
  EXPECT_EQ(u["out_of_scope"], (Json{{"lines", 1}, {"amount", 700}})) << u.dump();
  EXPECT_EQ(u["other_currencies"],
            (Json::array({{{"currency", "USD"}, {"lines", 1}, {"amount", 900}}})));
  EXPECT_EQ(u["unmatched"], (Json::array({{{"currency", "CNY"}, {"lines", 1}, {"amount", 1234}}})));
  EXPECT_EQ(run->run.line_count, 21);  // the CNY lines of the concert, merch included
}

TEST_F(MoneyFakeTest, PartiesOfTheVersionSeeTheRunAsParties) {
  ASSERT_TRUE(Import(July(), "rvb_1").ok());
  ASSERT_TRUE(Run("run_1", "2025-07", false).ok());
  auto row = repo_.FindRun("run_1");
  ASSERT_TRUE(row.ok() && *row);
  Principal voice;  // a member of a talent agency, named as a party
  voice.org_id = "org_agency";
  voice.member_id = "voice";
  voice.role = Role::kAuditor;
  Principal platform;  // a member of an organization named as a party
  platform.org_id = "org_platform";
  platform.member_id = "mem_pat";
  Principal stranger;
  stranger.org_id = "org_other";
  stranger.member_id = "mem_bob";
  EXPECT_EQ(*ViewOfRun(repo_, member_, **row), RunView::kFull);
  EXPECT_EQ(*ViewOfRun(repo_, voice, **row), RunView::kParty);
  EXPECT_EQ(*ViewOfRun(repo_, platform, **row), RunView::kParty);
  EXPECT_EQ(*ViewOfRun(repo_, stranger, **row), RunView::kNone);
  EXPECT_EQ(PayeeIdsOf(voice), (std::vector<std::string>{"voice", "org_agency"}));
  Principal op = stranger;
  op.is_operator = true;
  EXPECT_EQ(*ViewOfRun(repo_, op, **row), RunView::kFull);
}

}  // namespace
}  // namespace vt::app
