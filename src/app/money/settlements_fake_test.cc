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
    Json doc = {{"agreement", kAgreement}, {"version", 1}, {"terms", terms}};
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

}  // namespace
}  // namespace vt::app
