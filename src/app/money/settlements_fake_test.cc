// Money use cases against the in-memory repository (store/money/
// memory_money_repo.h): revenue import with replay detection, a settlement run
// and its correction, and a hold and its release. No database.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "app/money/revenue.h"
#include "app/money/settlements.h"
#include "base/clock.h"
#include "domain/entries.h"
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

// docs/settlement.md "Money": lines whose sum would leave ±(2^53 - 1) are refused
// on `lines`, nothing written; the revenue.imported totals are exact.
TEST_F(MoneyFakeTest, ImportRefusesABatchWhoseSumOverflows) {
  constexpr int64_t kMax = settlement::kMaxAmount;
  std::vector<RevenueLine> big;
  for (int i = 0; i < 1100; ++i) big.push_back(Line("max-" + std::to_string(i), kMax, "2025-07"));
  auto r = Import(big, "rvb_big");
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange) << r.status().ToString();
  EXPECT_EQ(r.status().field(), "lines");
  EXPECT_EQ(repo_.line_count(), 0u);
  EXPECT_TRUE(repo_.batches().empty());
  EXPECT_TRUE(log_.empty());
  // Two lines at the limit already leave it; one is fine.
  EXPECT_EQ(Import({Line("a", kMax, "2025-07"), Line("b", 1, "2025-07")}, "rvb_2").status().code(),
            StatusCode::kOutOfRange);
  EXPECT_TRUE(log_.empty());
  // The request sums within range but its NEW lines do not (a stored refund of
  // -kMax is a duplicate): refused inside the transaction, nothing written.
  ASSERT_TRUE(Import({Line("refund", -kMax, "2025-07")}, "rvb_3").ok());
  ASSERT_EQ(log_.size(), 1u);
  auto mixed = Import(
      {Line("refund", -kMax, "2025-07"), Line("c", kMax, "2025-07"), Line("d", kMax, "2025-07")},
      "rvb_4");
  EXPECT_EQ(mixed.status().code(), StatusCode::kOutOfRange) << mixed.status().ToString();
  EXPECT_EQ(mixed.status().field(), "lines");
  EXPECT_EQ(repo_.line_count(), 1u);
  EXPECT_EQ(log_.size(), 1u);
}

// Property: over random batches of amounts at the edges, an import succeeds
// exactly when every currency's sum (computed here in 128 bits) stays within
// ±kMaxAmount, and the logged totals are those sums.
TEST_F(MoneyFakeTest, ImportTotalsAreExactOrRefusedAtTheEdges) {
  constexpr int64_t kMax = settlement::kMaxAmount;
  const int64_t edges[] = {kMax,        -kMax, kMax - 1, -(kMax - 1), kMax / 2,
                           -(kMax / 2), 1,     -1,       0,           kMax / 3};
  std::mt19937_64 gen(20260703);
  int accepted = 0, refused = 0;
  for (int round = 0; round < 200; ++round) {
    std::vector<RevenueLine> lines;
    std::map<std::string, __int128> want;
    int n = 1 + static_cast<int>(gen() % 40);
    for (int i = 0; i < n; ++i) {
      int64_t amount = gen() % 4 == 0 ? static_cast<int64_t>(gen() % (2 * kMax + 1)) - kMax
                                      : edges[gen() % std::size(edges)];
      RevenueLine l =
          Line("p" + std::to_string(round) + "-" + std::to_string(i), amount, "2025-07");
      if (gen() % 3 == 0) l.currency = "USD";
      want[l.currency] += amount;
      lines.push_back(l);
    }
    bool fits = true;
    for (const auto& [cur, sum] : want) fits = fits && sum <= kMax && sum >= -kMax;
    size_t log_before = log_.size(), rows_before = repo_.line_count();
    auto r = Import(lines, "rvb_p" + std::to_string(round));
    if (!fits) {
      EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange) << round;
      EXPECT_EQ(log_.size(), log_before);
      EXPECT_EQ(repo_.line_count(), rows_before);
      ++refused;
      continue;
    }
    ASSERT_TRUE(r.ok()) << round << ": " << r.status().ToString();
    ASSERT_EQ(log_.size(), log_before + 1);
    // Unsealed here (the committer seals it): {"$confidential": {"value": ...}}.
    Json totals = Json::parse(log_.back())["payload"]["totals"];
    if (totals.contains(domain::kConfidentialKey))
      totals = totals[domain::kConfidentialKey]["value"];
    for (const auto& [cur, sum] : want)
      EXPECT_EQ(totals.at(cur).get<int64_t>(), static_cast<int64_t>(sum)) << round << " " << cur;
    ++accepted;
  }
  EXPECT_GT(accepted, 10);
  EXPECT_GT(refused, 10);
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
