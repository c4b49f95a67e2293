// The works registry on every storage backend: registration, share and
// identifier checks, duplicate claims, the acyclic derivation graph and
// authorization.
#include "app/rights/works.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/access/service.h"
#include "store/store_testing.h"

namespace vt::app {
namespace {

class WorksTest : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("works_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    Config c;
    c.data_dir = dir_.string();
    c.log_origin = "vtrust.test/log";
    auto s = Service::OpenWith(c, SharedDb(), clock_, SystemRng::Get());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    svc_ = std::move(*s);
    auto init = svc_->Bootstrap();
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    op_ = *svc_->Authenticate(init->token_secret);
    reg_ = std::make_unique<WorkRegistry>(*svc_, SystemRng::Get());
    studio_ = svc_->CreateOrg(op_, "Studio A", OrgKind::kStudio)->value;
    other_ = svc_->CreateOrg(op_, "Studio B", OrgKind::kStudio)->value;
    member_ = As(studio_.id, "alice", Role::kMember);
    auditor_ = As(studio_.id, "audrey", Role::kAuditor);
    stranger_ = As(other_.id, "bob", Role::kAdmin);
  }
  void TearDown() override {
    reg_.reset();
    svc_.reset();
    BackendTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<store::Database> SharedDb() { return store::BorrowDatabase(db()); }
  Principal As(const std::string& org, const std::string& name, Role role) {
    auto m = svc_->AddMember(op_, org, name, "", role);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    auto t = svc_->CreateToken(op_, org, m->value.id, "t", 0);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return *svc_->Authenticate(t->value.secret);
  }
  // A valid song owned 60/40 by the studio and a member; `n` varies the digest.
  WorkInput Song(int n) {
    WorkInput in;
    in.type = "song";
    in.titles = {{"en", "Starlight " + std::to_string(n)}, {"zh-Hans", "星光"}};
    std::string hex = std::to_string(n);
    in.sha256 = std::string(64 - hex.size(), 'a') + hex;
    in.sm3 = std::string(64, 'B');
    in.identifiers = {{"iswc", "T-034.524.680-1"}, {"isrc", "CN-AB1-26-00001"}};
    in.rights = {{"copyright", {{studio_.id, 6000}, {member_.member_id, 4000}}}};
    return in;
  }
  int64_t LogSize() { return svc_->log().Published().size; }
  int64_t WorkCount() {
    auto c = NewConn();
    return c->QueryOne("SELECT COUNT(*) FROM works")->Int(0);
  }
  std::string Register(int n) {
    auto w = reg_->Register(member_, Song(n));
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? w->value.id : "";
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  FakeClock clock_{1'800'000'000'000};
  std::unique_ptr<Service> svc_;
  std::unique_ptr<WorkRegistry> reg_;
  Principal op_, member_, auditor_, stranger_;
  Org studio_, other_;
};

TEST_P(WorksTest, RegisterNormalizesLogsAndReadsBack) {
  int64_t before = LogSize();
  auto w = reg_->Register(member_, Song(1));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->receipts.size(), 1u);
  EXPECT_EQ(w->receipts[0]["index"].get<int64_t>(), before);
  EXPECT_EQ(w->value.org_id, studio_.id);
  EXPECT_EQ(w->value.data.identifiers.at("isrc"), "CNAB12600001");
  EXPECT_EQ(w->value.data.sm3, std::string(64, 'b'));
  auto got = reg_->Get(member_, w->value.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->ToJson(), w->value.ToJson());
  EXPECT_EQ(got->log_index, before);
  auto list = reg_->List(member_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(LogSize(), before + 1);
}

TEST_P(WorksTest, SharesMustSumToWhole) {
  int64_t log = LogSize();
  WorkInput in = Song(2);
  in.rights["copyright"][1].share_bp = 3000;
  auto r = reg_->Register(member_, in);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "rights.copyright");
  EXPECT_NE(r.status().message().find("9000"), std::string::npos);
  in = Song(2);
  in.rights["copyright"][0].share_bp = 14000;
  in.rights["copyright"][1].share_bp = -4000;
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "rights.copyright[0].share_bp");
  in.rights["copyright"][0].share_bp = 10000;
  in.rights["copyright"][1].share_bp = 0;
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "rights.copyright[1].share_bp");
  in = Song(2);
  in.rights["likeness"] = {{studio_.id, 5000}};  // copyright fine, likeness half
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "rights.likeness");
  in = Song(2);
  in.rights["copyright"][1].party = "org_doesnotexist0000000";
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "rights.copyright[1].party");
  in = Song(2);
  in.rights.clear();
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "rights");
  EXPECT_EQ(WorkCount(), 0);
  EXPECT_EQ(LogSize(), log);
}

TEST_P(WorksTest, BadIdentifiersAndFieldsRefused) {
  struct Case {
    std::string scheme, value;
  } cases[] = {{"iswc", "T-034.524.680-2"},
               {"isrc", "CN-AB1-26-0001"},
               {"isni", "0000 0002 1825 0098"},
               {"ean", "123"}};
  for (const auto& c : cases) {
    WorkInput in = Song(3);
    in.identifiers = {{c.scheme, c.value}};
    auto r = reg_->Register(member_, in);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.scheme;
    EXPECT_EQ(r.status().field(), "identifiers." + c.scheme);
  }
  WorkInput in = Song(3);
  in.type = "novel";
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "type");
  in = Song(3);
  in.titles.clear();
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "titles");
  in = Song(3);
  in.sha256 = "abc";
  EXPECT_EQ(reg_->Register(member_, in).status().field(), "digests.sha256");
  EXPECT_EQ(WorkCount(), 0);
}

TEST_P(WorksTest, DuplicateDigestPointsAtFirstClaim) {
  auto first = reg_->Register(member_, Song(4));
  ASSERT_TRUE(first.ok());
  int64_t log = LogSize();
  WorkInput again = Song(4);
  again.titles = {{"en", "Copied"}};
  again.sha256[0] = 'A';  // upper case: the same digest
  auto r = reg_->Register(stranger_, again);
  ASSERT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  Json d = Json::parse(r.status().details());
  EXPECT_EQ(d["existing_work"], first->value.id);
  EXPECT_EQ(d["log_index"], first->receipts[0]["index"]);
  EXPECT_EQ(LogSize(), log);
  EXPECT_EQ(WorkCount(), 1);
}

TEST_P(WorksTest, DerivationGraphStaysAcyclic) {
  std::string w1 = Register(11), w2 = Register(12), w3 = Register(13);
  ASSERT_TRUE(reg_->AddUse(member_, w1, w2, "song").ok());
  auto e = reg_->AddUse(member_, w2, w3, "choreography");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->receipts.size(), 1u);
  int64_t log = LogSize();
  auto cyc = reg_->AddUse(member_, w3, w1, "character");
  ASSERT_EQ(cyc.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(cyc.status().message().find(w3 + " -> " + w1 + " -> " + w2 + " -> " + w3),
            std::string::npos)
      << cyc.status().message();
  auto self = reg_->AddUse(member_, w1, w1, "x");
  EXPECT_NE(self.status().message().find(w1 + " -> " + w1), std::string::npos);
  EXPECT_EQ(reg_->AddUse(member_, w1, w2, "again").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(LogSize(), log);
  // A diamond is fine: w1 also uses w3 directly.
  ASSERT_TRUE(reg_->AddUse(member_, w1, w3, "character").ok());

  auto g = reg_->Graph(member_, w2, 3);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->nodes.size(), 3u);
  EXPECT_EQ(g->edges.size(), 3u);
  auto g1 = reg_->Graph(member_, w3, 1);
  ASSERT_TRUE(g1.ok());
  EXPECT_EQ(g1->nodes.size(), 3u);  // w2 and w1 use it directly
  EXPECT_EQ(g1->edges.size(), 3u);  // and w1 -> w2 between collected nodes
  EXPECT_EQ(reg_->Graph(member_, w3, 0).status().field(), "depth");
}

TEST_P(WorksTest, Authorization) {
  std::string w = Register(21);
  EXPECT_EQ(reg_->Get(stranger_, w).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reg_->Graph(stranger_, w).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(reg_->Get(auditor_, w).ok());
  EXPECT_TRUE(reg_->Get(op_, w).ok());
  EXPECT_EQ(reg_->Register(auditor_, Song(22)).status().code(), StatusCode::kPermissionDenied);
  std::string w2 = Register(23);
  EXPECT_EQ(reg_->AddUse(auditor_, w, w2, "song").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reg_->AddUse(stranger_, w, w2, "song").status().code(), StatusCode::kNotFound);
  // Another organization's work cannot be linked by name-guessing.
  auto theirs = reg_->Register(stranger_, [&] {
    WorkInput in = Song(24);
    in.rights = {{"copyright", {{other_.id, 10000}}}};
    return in;
  }());
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  auto cross = reg_->AddUse(member_, w, theirs->value.id, "song");
  EXPECT_EQ(cross.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(cross.status().field(), "used_work_id");
  EXPECT_EQ(reg_->List(stranger_)->size(), 1u);
  EXPECT_EQ(reg_->List(op_)->size(), 3u);
}

VT_INSTANTIATE_BACKEND_TEST(WorksTest);

}  // namespace
}  // namespace vt::app
