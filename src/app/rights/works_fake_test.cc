// Works use cases over the in-memory rights repository, with no database: the
// duplicate-claim rule and the derivation graph's cycle refusal (docs/works.md).
#include <gtest/gtest.h>

#include "app/rights/works_internal.h"
#include "base/clock.h"
#include "store/rights/memory_rights_repo.h"

namespace vt::app {
namespace {

class WorksFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.AddOrg("org_studio");
    repo_.AddMember("mem_alice", "org_studio", "member");
    alice_.org_id = "org_studio";
    alice_.member_id = "mem_alice";
    alice_.role = Role::kMember;
  }

  // A validated song held 60/40 by the studio and alice; `digit` varies the digest.
  Work Song(const std::string& id, char digit) {
    Work w;
    w.id = id;
    w.org_id = alice_.org_id;
    w.created_by = alice_.member_id;
    w.data.type = "song";
    w.data.titles = {{"en", "Starlight " + id}};
    w.data.sha256 = std::string(64, digit);
    w.data.rights = {{"copyright", {{"org_studio", 6000}, {"mem_alice", 4000}}}};
    return w;
  }

  Status Register(Work w) {
    RightsTx tx(repo_, clock_);
    Status s = RegisterWork(tx, alice_, w);
    logged_ += tx.entries().size();
    return s;
  }

  Status Use(const std::string& work, const std::string& used) {
    RightsTx tx(repo_, clock_);
    Status s = AddWorkUse(tx, alice_, {work, used, "uses"});
    logged_ += tx.entries().size();
    return s;
  }

  store::MemoryRightsRepo repo_;
  FakeClock clock_;
  Principal alice_;
  size_t logged_ = 0;
};

TEST_F(WorksFakeTest, RegisterStoresTheRecordAndLogsOneEntry) {
  ASSERT_TRUE(Register(Song("wrk_a", 'a')).ok());
  ASSERT_EQ(repo_.works().count("wrk_a"), 1u);
  const store::WorkRow& row = repo_.works().at("wrk_a");
  EXPECT_EQ(row.sha256, std::string(64, 'a'));
  EXPECT_EQ(row.org_id, "org_studio");
  EXPECT_FALSE(row.sm3.has_value());
  EXPECT_EQ(row.created_at, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(logged_, 1u);
}

TEST_F(WorksFakeTest, SecondClaimOnTheSameContentPointsAtTheFirst) {
  ASSERT_TRUE(Register(Song("wrk_a", 'a')).ok());
  ASSERT_TRUE(repo_.SetWorkLogIndex("wrk_a", 7).ok());

  Status s = Register(Song("wrk_b", 'a'));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(s.field(), "digests.sha256");
  EXPECT_EQ(Json::parse(s.details()), Json({{"existing_work", "wrk_a"}, {"log_index", 7}}));
  EXPECT_EQ(repo_.works().size(), 1u);
  EXPECT_EQ(logged_, 1u);  // only the first registration's entry
}

TEST_F(WorksFakeTest, ClaimBeforeItsLogIndexIsKnownReportsNull) {
  ASSERT_TRUE(Register(Song("wrk_a", 'a')).ok());
  Status s = Register(Song("wrk_b", 'a'));
  ASSERT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(Json::parse(s.details())["log_index"].is_null());
}

TEST_F(WorksFakeTest, UnknownHolderIsRefusedNamingTheField) {
  Work w = Song("wrk_a", 'a');
  w.data.rights["copyright"][1].party = "mem_nobody";
  Status s = Register(w);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "rights.copyright[1].party");
  EXPECT_TRUE(repo_.works().empty());
}

TEST_F(WorksFakeTest, RemovedMemberStillHoldsShares) {
  repo_.AddMember("mem_gone", "org_studio", "member", /*removed=*/true);
  Work w = Song("wrk_a", 'a');
  w.data.rights["copyright"][1].party = "mem_gone";
  EXPECT_TRUE(Register(w).ok());
}

TEST_F(WorksFakeTest, EdgeClosingACycleIsRefusedNamingTheCycle) {
  for (auto [id, d] : {std::pair{"wrk_a", 'a'}, {"wrk_b", 'b'}, {"wrk_c", 'c'}})
    ASSERT_TRUE(Register(Song(id, d)).ok());
  ASSERT_TRUE(Use("wrk_a", "wrk_b").ok());
  ASSERT_TRUE(Use("wrk_b", "wrk_c").ok());
  size_t before = logged_;

  Status s = Use("wrk_c", "wrk_a");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("wrk_c -> wrk_a -> wrk_b -> wrk_c"), std::string::npos) << s.message();
  EXPECT_EQ(s.field(), "used_work_id");
  EXPECT_EQ(Json::parse(s.details()), Json({{"cycle", {"wrk_c", "wrk_a", "wrk_b", "wrk_c"}}}));
  EXPECT_EQ(repo_.uses().size(), 2u);
  EXPECT_EQ(logged_, before);
}

TEST_F(WorksFakeTest, SelfUseAndDuplicateEdgeAreRefused) {
  ASSERT_TRUE(Register(Song("wrk_a", 'a')).ok());
  ASSERT_TRUE(Register(Song("wrk_b", 'b')).ok());
  EXPECT_EQ(Use("wrk_a", "wrk_a").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Use("wrk_a", "wrk_b").ok());
  Status dup = Use("wrk_a", "wrk_b");
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.message().find("(as uses)"), std::string::npos);
}

TEST_F(WorksFakeTest, OtherOrganizationsWorksAreNotFound) {
  ASSERT_TRUE(Register(Song("wrk_a", 'a')).ok());
  Principal stranger{"org_other", "mem_bob", "", Role::kAdmin, false};
  RightsTx tx(repo_, clock_);
  Status s = AddWorkUse(tx, stranger, {"wrk_a", "wrk_a", "uses"});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace vt::app
