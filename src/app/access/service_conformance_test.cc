// The service's behaviour, run against every storage backend (SQLite always,
// PostgreSQL when scripts/with-postgres.sh provides one): tenancy, access control,
// tokens, and the transparency log's guarantees at the service level.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "app/access/service.h"
#include "base/encoding.h"
#include "store/store_testing.h"
#include "tlog/hash.h"
#include "tlog/note_keys.h"
#include "tlog/proof.h"

namespace vt::app {
namespace {

class ServiceConformance : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("svc_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    Reopen();
    auto init = svc_->Bootstrap();
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    init_ = *init;
    auto p = svc_->Authenticate(init_.token_secret);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    op_ = *p;
  }
  void TearDown() override {
    svc_.reset();
    BackendTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  // Opens (or re-opens) the service on the test database without dropping it.
  void Reopen() {
    svc_.reset();
    Config c;
    c.data_dir = dir_.string();
    c.log_origin = "vtrust.test/log";
    auto db = SharedDb();
    auto s = Service::OpenWith(c, std::move(db), clock_, SystemRng::Get());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    svc_ = std::move(*s);
  }
  std::unique_ptr<store::Database> SharedDb() { return store::BorrowDatabase(db()); }
  Principal Token(const std::string& org, const std::string& member) {
    auto t = svc_->CreateToken(op_, org, member, "t", 0);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return *svc_->Authenticate(t->value.secret);
  }
  void ExpectReceiptVerifies(const Json& r) {
    auto leaf = tlog::HashFromBase64(r["leaf_hash"].get<std::string>());
    auto root = tlog::HashFromBase64(r["root"].get<std::string>());
    ASSERT_TRUE(leaf.ok() && root.ok());
    std::vector<tlog::Hash> path;
    for (const auto& h : r["hashes"]) path.push_back(*tlog::HashFromBase64(h.get<std::string>()));
    EXPECT_TRUE(tlog::VerifyInclusion(r["index"].get<int64_t>(), r["tree_size"].get<int64_t>(),
                                      *leaf, path, *root)
                    .ok());
    auto opened = tlog::OpenNote(r["checkpoint"].get<std::string>(), {svc_->log().verifier()});
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  FakeClock clock_{1'800'000'000'000};
  std::unique_ptr<Service> svc_;
  InitResult init_;
  Principal op_;
};

TEST_P(ServiceConformance, BootstrapOnceAndOperatorIsAdmin) {
  EXPECT_TRUE(op_.is_operator);
  EXPECT_EQ(op_.role, Role::kAdmin);
  EXPECT_EQ(svc_->Bootstrap().status().code(), StatusCode::kFailedPrecondition);
  // Bootstrap logged the operator organization and its admin.
  EXPECT_EQ(svc_->log().Published().size, 2);
}

TEST_P(ServiceConformance, OrganizationsAreUniqueAndLogged) {
  auto a = svc_->CreateOrg(op_, "Starlight Studio", OrgKind::kStudio);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->receipts.size(), 1u);
  ExpectReceiptVerifies(a->receipts[0]);
  auto dup = svc_->CreateOrg(op_, "Starlight Studio", OrgKind::kAgency);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "name");
  EXPECT_EQ(svc_->ListOrgs(op_)->size(), 2u);
  EXPECT_EQ(svc_->log().Published().size, 3);  // the refused write logged nothing
}

TEST_P(ServiceConformance, TenantsAreIsolatedAndRolesEnforced) {
  auto a = svc_->CreateOrg(op_, "A", OrgKind::kStudio)->value;
  auto b = svc_->CreateOrg(op_, "B", OrgKind::kPlatform)->value;
  auto a_admin = svc_->AddMember(op_, a.id, "alice", "alice@a.example", Role::kAdmin)->value;
  auto a_aud = svc_->AddMember(op_, a.id, "audrey", "", Role::kAuditor)->value;
  auto b_admin = svc_->AddMember(op_, b.id, "bob", "", Role::kAdmin)->value;
  Principal pa = Token(a.id, a_admin.id), paud = Token(a.id, a_aud.id),
            pb = Token(b.id, b_admin.id);
  EXPECT_EQ(svc_->ListOrgs(pa)->size(), 1u);
  EXPECT_EQ(svc_->GetOrg(pb, a.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(svc_->AddMember(pb, a.id, "mallory", "", Role::kAdmin).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(svc_->AddMember(paud, a.id, "eve", "", Role::kMember).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->CreateOrg(pa, "C", OrgKind::kStudio).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(svc_->AddMember(pa, a.id, "carol", "", Role::kMember).ok());
  EXPECT_EQ(svc_->ListMembers(pa, a.id)->size(), 3u);
}

TEST_P(ServiceConformance, TokensExpireAndRevoke) {
  auto org = svc_->CreateOrg(op_, "A", OrgKind::kStudio)->value;
  auto m = svc_->AddMember(op_, org.id, "m", "", Role::kMember)->value;
  auto t = svc_->CreateToken(op_, org.id, m.id, "short", 60);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(svc_->Authenticate(t->value.secret).ok());
  std::string wrong = t->value.secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(svc_->Authenticate(wrong).status().code(), StatusCode::kUnauthenticated);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(svc_->Authenticate(t->value.secret).status().code(), StatusCode::kUnauthenticated);
  auto t2 = svc_->CreateToken(op_, org.id, m.id, "long", 0);
  ASSERT_TRUE(svc_->Authenticate(t2->value.secret).ok());
  ASSERT_TRUE(svc_->RevokeToken(op_, org.id, t2->value.info.id).ok());
  EXPECT_EQ(svc_->Authenticate(t2->value.secret).status().code(), StatusCode::kUnauthenticated);
  // Removing a member revokes the rest of its tokens.
  auto t3 = svc_->CreateToken(op_, org.id, m.id, "third", 0);
  ASSERT_TRUE(svc_->RemoveMember(op_, org.id, m.id).ok());
  EXPECT_EQ(svc_->Authenticate(t3->value.secret).status().code(), StatusCode::kUnauthenticated);
  auto tokens = svc_->ListTokens(op_, org.id);
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(tokens->size(), 3u);
  for (const auto& info : *tokens) {
    Json j = info.ToJson();
    EXPECT_FALSE(j.contains("secret"));
    EXPECT_FALSE(j.contains("secret_hash"));
  }
}

TEST_P(ServiceConformance, ConcurrentWritesGetDistinctIndexesAndSurviveReopen) {
  constexpr int kThreads = 4, kPer = 15;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<int64_t> indexes;
  std::vector<Json> receipts;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) {
        auto w = svc_->CreateOrg(op_, "org-" + std::to_string(t) + "-" + std::to_string(i),
                                 OrgKind::kStudio);
        ASSERT_TRUE(w.ok()) << w.status().ToString();
        std::lock_guard<std::mutex> lock(mu);
        indexes.insert(w->receipts[0]["index"].get<int64_t>());
        receipts.push_back(w->receipts[0]);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(indexes.size(), static_cast<size_t>(kThreads * kPer));
  LogCheckpoint before = svc_->log().Published();
  EXPECT_EQ(before.size, 2 + kThreads * kPer);
  Reopen();  // recovery: the stored tiles must reproduce the stored root
  LogCheckpoint after = svc_->log().Published();
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.root, before.root);
  for (const auto& r : receipts) ExpectReceiptVerifies(r);
  // Every entry is readable and its leaf hash matches its receipt.
  auto conn = NewConn();
  for (const auto& r : receipts) {
    auto e = TransparencyLog::ReadEntry(*conn, r["index"].get<int64_t>());
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(tlog::HashToBase64(tlog::LeafHash(*e)), r["leaf_hash"].get<std::string>());
  }
}

TEST_P(ServiceConformance, FailedWriteInABatchLeavesNoTrace) {
  // Two writes race into one batch; one fails. Only the successful one is kept.
  auto ok_write = svc_->Write([&](WriteContext& ctx) -> Status {
    ctx.AppendLog(R"({"type":"test.ok","v":1})");
    return OkStatus();
  });
  auto bad_write = svc_->Write([&](WriteContext& ctx) -> Status {
    VT_RETURN_IF_ERROR(
        ctx.conn()
            .Exec("INSERT INTO orgs(id,name,kind,created_at) VALUES('x','x','studio','t')")
            .status());
    ctx.AppendLog(R"({"type":"test.bad","v":1})");
    return InvalidArgumentError("refused after writing");
  });
  ASSERT_TRUE(ok_write.ok());
  EXPECT_EQ(bad_write.status().code(), StatusCode::kInvalidArgument);
  auto conn = NewConn();
  EXPECT_EQ(conn->QueryOne("SELECT COUNT(*) FROM orgs WHERE id = 'x'")->Int(0), 0);
  EXPECT_EQ(svc_->log().Published().size, 3);
}

TEST_P(ServiceConformance, ProofsFromTheStoreMatchReceipts) {
  std::vector<Json> receipts;
  for (int i = 0; i < 20; ++i)
    receipts.push_back(
        svc_->CreateOrg(op_, "o" + std::to_string(i), OrgKind::kStudio)->receipts[0]);
  auto conn = NewConn();
  int64_t size = svc_->log().Published().size;
  for (const auto& r : receipts) {
    auto p = TransparencyLog::InclusionProof(*conn, r["index"].get<int64_t>(), size);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    Json withcp = *p;
    withcp["checkpoint"] = svc_->log().Published().note;
    ExpectReceiptVerifies(withcp);
  }
  auto c = TransparencyLog::ConsistencyProof(*conn, 5, size);
  ASSERT_TRUE(c.ok());
  std::vector<tlog::Hash> path;
  for (const auto& h : (*c)["hashes"]) path.push_back(*tlog::HashFromBase64(h.get<std::string>()));
  EXPECT_TRUE(tlog::VerifyConsistency(5, size, path,
                                      *tlog::HashFromBase64((*c)["old_root"].get<std::string>()),
                                      *tlog::HashFromBase64((*c)["new_root"].get<std::string>()))
                  .ok());
  EXPECT_EQ(TransparencyLog::InclusionProof(*conn, 0, size + 1).status().field(), "size");
}

VT_INSTANTIATE_BACKEND_TEST(ServiceConformance);

}  // namespace
}  // namespace vt::app
