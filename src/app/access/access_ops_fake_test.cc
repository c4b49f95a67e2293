// The access use cases (app/access/access_ops.h) against the in-memory access
// repository: no database, fixed clock and randomness.
#include <gtest/gtest.h>

#include "app/access/access_ops.h"
#include "base/clock.h"
#include "base/rng.h"
#include "store/access/memory_access_repo.h"
#include "store/store_testing.h"

namespace vt::app {
namespace {

class AccessOpsFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LogEntries log;
    VT_ASSERT_OK_AND_ASSIGN(OperatorRows rows, BootstrapOperator(repo_, clock_, rng_, log));
    EXPECT_EQ(log.size(), 2u);  // org.registered, member.added
    op_ = rows;
    operator_admin_ = Principal{rows.org.id, rows.admin.id, "", Role::kAdmin, true};
    studio_ = Org{NewId("org", rng_), "studio", OrgKind::kStudio, Now()};
    VT_ASSERT_OK(InsertNewOrg(repo_, operator_admin_, studio_, clock_, log));
  }
  std::string Now() const { return FormatRfc3339(clock_.Now()); }
  // Adds a member of `role` to the studio, as the operator admin.
  Member AddStudioMember(const std::string& name, Role role) {
    Member m{NewId("mem", rng_), studio_.id, name, "", role, Now(), {}};
    LogEntries log;
    Status s = InsertNewMember(repo_, operator_admin_, m, clock_, log);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return m;
  }
  // Creates a token and returns its bearer string.
  std::string NewBearer(const Member& m, int64_t ttl_seconds) {
    std::string secret = "secret-of-" + m.name;
    auto t = InsertNewToken(repo_, operator_admin_, m.org_id, m.id, "t", ttl_seconds,
                            TokenSecretHash(secret), clock_, rng_);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? FormatBearerToken(t->id, secret) : "";
  }
  StatusOr<Principal> Authenticate(const std::string& bearer) {
    auto parsed = ParseBearerToken(bearer);
    if (!parsed) return BadTokenError();
    VT_ASSIGN_OR_RETURN(AuthenticatedToken a,
                        VerifyToken(repo_, parsed->id, TokenSecretHash(parsed->secret), Now()));
    return a.principal;
  }

  FakeClock clock_;
  DeterministicRng rng_{42};
  store::MemoryAccessRepo repo_;
  OperatorRows op_;
  Principal operator_admin_;
  Org studio_;
};

TEST_F(AccessOpsFakeTest, BootstrapRefusesASecondOperator) {
  LogEntries log;
  VT_EXPECT_CODE(BootstrapOperator(repo_, clock_, rng_, log).status(),
                 StatusCode::kFailedPrecondition);
  EXPECT_TRUE(log.empty());
  VT_ASSERT_OK_AND_ASSIGN(store::MemberRef admin, repo_.FindFirstOperatorAdmin());
  EXPECT_EQ(admin.member_id, op_.admin.id);
}

TEST_F(AccessOpsFakeTest, TokenAuthenticatesWithTheWeakerRole) {
  Member m = AddStudioMember("alice", Role::kMember);
  std::string bearer = NewBearer(m, 0);
  VT_ASSERT_OK_AND_ASSIGN(Principal p, Authenticate(bearer));
  EXPECT_EQ(p.org_id, studio_.id);
  EXPECT_EQ(p.member_id, m.id);
  EXPECT_EQ(p.role, Role::kMember);
  EXPECT_FALSE(p.is_operator);
}

TEST_F(AccessOpsFakeTest, EveryBadTokenGetsTheSameAnswer) {
  Member m = AddStudioMember("bob", Role::kAdmin);
  std::string bearer = NewBearer(m, 60);
  VT_ASSERT_OK(Authenticate(bearer).status());
  for (const std::string& bad : {std::string("nope"), std::string("vtk.nodot"), bearer + "x",
                                 std::string("vtk.tok_unknown.secret")}) {
    auto r = Authenticate(bad);
    VT_EXPECT_CODE(r.status(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().message(), BadTokenError().message()) << bad;
  }
  clock_.Advance(std::chrono::seconds(60));  // expires_at <= now: expired
  VT_EXPECT_CODE(Authenticate(bearer).status(), StatusCode::kUnauthenticated);
}

TEST_F(AccessOpsFakeTest, RemovingAMemberRevokesItsTokens) {
  Member m = AddStudioMember("carol", Role::kMember);
  std::string bearer = NewBearer(m, 0);
  LogEntries log;
  VT_EXPECT_CODE(
      RemoveMemberNow(repo_, operator_admin_, studio_.id, "mem_missing", clock_, log).status(),
      StatusCode::kNotFound);
  VT_ASSERT_OK_AND_ASSIGN(Member removed,
                          RemoveMemberNow(repo_, operator_admin_, studio_.id, m.id, clock_, log));
  EXPECT_EQ(removed.removed_at, Now());
  EXPECT_EQ(log.size(), 1u);  // member.removed
  VT_EXPECT_CODE(Authenticate(bearer).status(), StatusCode::kUnauthenticated);
  VT_ASSERT_OK_AND_ASSIGN(auto tokens, repo_.ListTokens(studio_.id));
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_TRUE(tokens[0].revoked_at.has_value());
  // A removed member gets no new tokens.
  VT_EXPECT_CODE(
      InsertNewToken(repo_, operator_admin_, studio_.id, m.id, "again", 0, "h", clock_, rng_)
          .status(),
      StatusCode::kFailedPrecondition);
}

TEST_F(AccessOpsFakeTest, CreateTokenRules) {
  Member admin = AddStudioMember("dora", Role::kAdmin);
  Member member = AddStudioMember("eve", Role::kMember);
  Principal as_member{studio_.id, member.id, "", Role::kMember, false};
  Principal as_admin{studio_.id, admin.id, "", Role::kAdmin, false};
  Principal outsider{"org_other", "mem_other", "", Role::kAdmin, false};
  VT_EXPECT_CODE(CheckCreateToken(as_member, studio_.id, member.id, "mine", 0), StatusCode::kOk);
  VT_EXPECT_CODE(CheckCreateToken(as_member, studio_.id, admin.id, "theirs", 0),
                 StatusCode::kPermissionDenied);
  VT_EXPECT_CODE(CheckCreateToken(as_admin, studio_.id, member.id, "for eve", 3600),
                 StatusCode::kOk);
  VT_EXPECT_CODE(CheckCreateToken(outsider, studio_.id, member.id, "x", 0), StatusCode::kNotFound);
  VT_EXPECT_CODE(CheckCreateToken(as_admin, studio_.id, member.id, "", 0),
                 StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(CheckCreateToken(as_admin, studio_.id, member.id, "x", -1),
                 StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(CheckCreateToken(as_admin, studio_.id, member.id, "x", 11LL * 366 * 24 * 3600),
                 StatusCode::kInvalidArgument);
}

// docs/api.md "Role matrix": a token never creates a token that outlives it or
// has more rights, and auditors create and revoke none.
TEST_F(AccessOpsFakeTest, ATokenNeverMintsALongerOrStrongerToken) {
  Member member = AddStudioMember("kim", Role::kMember);
  Member auditor = AddStudioMember("lee", Role::kAuditor);
  VT_ASSERT_OK_AND_ASSIGN(Principal short_lived, Authenticate(NewBearer(member, 60)));
  // No expiry, or any expiry after the creator's, is refused; nothing is stored.
  VT_ASSERT_OK_AND_ASSIGN(auto before, repo_.ListTokens(studio_.id));
  Status s =
      InsertNewToken(repo_, short_lived, studio_.id, member.id, "forever", 0, "h1", clock_, rng_)
          .status();
  VT_EXPECT_CODE(s, StatusCode::kPermissionDenied);
  EXPECT_EQ(s.field(), "ttl_seconds");
  s = InsertNewToken(repo_, short_lived, studio_.id, member.id, "longer", 61, "h2", clock_, rng_)
          .status();
  VT_EXPECT_CODE(s, StatusCode::kPermissionDenied);
  EXPECT_EQ(s.field(), "ttl_seconds");
  VT_ASSERT_OK_AND_ASSIGN(auto after, repo_.ListTokens(studio_.id));
  EXPECT_EQ(after.size(), before.size());
  // Within the creator's lifetime it works.
  VT_EXPECT_CODE(CheckCreateToken(short_lived, studio_.id, member.id, "shorter", 30),
                 StatusCode::kOk);
  VT_ASSERT_OK_AND_ASSIGN(TokenInfo t, InsertNewToken(repo_, short_lived, studio_.id, member.id,
                                                      "shorter", 30, "h3", clock_, rng_));
  ASSERT_TRUE(t.expires_at.has_value());
  VT_ASSERT_OK_AND_ASSIGN(TokenInfo creator, repo_.FindToken(studio_.id, short_lived.token_id));
  EXPECT_LE(*t.expires_at, *creator.expires_at);
  // An admin member acting through a member-scoped principal gets a member token.
  Member admin = AddStudioMember("max", Role::kAdmin);
  Principal scoped{studio_.id, admin.id, "", Role::kMember, false};
  VT_ASSERT_OK_AND_ASSIGN(TokenInfo weaker, InsertNewToken(repo_, scoped, studio_.id, admin.id,
                                                           "scoped", 0, "h4", clock_, rng_));
  EXPECT_EQ(weaker.role, Role::kMember);
  // Auditors are read-only: not even a token for themselves, nor a revocation.
  VT_ASSERT_OK_AND_ASSIGN(Principal as_auditor, Authenticate(NewBearer(auditor, 0)));
  VT_EXPECT_CODE(CheckCreateToken(as_auditor, studio_.id, auditor.id, "mine", 0),
                 StatusCode::kPermissionDenied);
  VT_EXPECT_CODE(RevokeTokenNow(repo_, as_auditor, studio_.id, t.id, clock_).status(),
                 StatusCode::kPermissionDenied);
}

TEST_F(AccessOpsFakeTest, AddMemberNeedsAnAdminAndAFreeName) {
  Member member = AddStudioMember("frank", Role::kMember);
  Principal as_member{studio_.id, member.id, "", Role::kMember, false};
  VT_EXPECT_CODE(CheckAddMember(as_member, studio_.id, "gina", ""), StatusCode::kPermissionDenied);
  VT_EXPECT_CODE(CheckAddMember(operator_admin_, studio_.id, "gina", "not-an-email"),
                 StatusCode::kInvalidArgument);
  Member dup{NewId("mem", rng_), studio_.id, "frank", "", Role::kMember, Now(), {}};
  LogEntries log;
  Status s = InsertNewMember(repo_, operator_admin_, dup, clock_, log);
  VT_EXPECT_CODE(s, StatusCode::kAlreadyExists);
  EXPECT_EQ(s.field(), "name");
  EXPECT_TRUE(log.empty());
  Member orphan{NewId("mem", rng_), "org_missing", "hal", "", Role::kMember, Now(), {}};
  VT_EXPECT_CODE(InsertNewMember(repo_, operator_admin_, orphan, clock_, log),
                 StatusCode::kNotFound);
}

TEST_F(AccessOpsFakeTest, OnlyAnAdminRevokesAnotherMembersToken) {
  Member a = AddStudioMember("ivan", Role::kMember);
  Member b = AddStudioMember("judy", Role::kMember);
  NewBearer(a, 0);
  VT_ASSERT_OK_AND_ASSIGN(auto tokens, repo_.ListTokens(studio_.id));
  ASSERT_EQ(tokens.size(), 1u);
  Principal as_b{studio_.id, b.id, "", Role::kMember, false};
  VT_EXPECT_CODE(RevokeTokenNow(repo_, as_b, studio_.id, tokens[0].id, clock_).status(),
                 StatusCode::kPermissionDenied);
  VT_ASSERT_OK_AND_ASSIGN(TokenInfo revoked,
                          RevokeTokenNow(repo_, operator_admin_, studio_.id, tokens[0].id, clock_));
  EXPECT_EQ(revoked.revoked_at, Now());
  clock_.Advance(std::chrono::seconds(5));
  VT_ASSERT_OK_AND_ASSIGN(TokenInfo again,  // idempotent: the first revocation time stays
                          RevokeTokenNow(repo_, operator_admin_, studio_.id, tokens[0].id, clock_));
  EXPECT_EQ(again.revoked_at, revoked.revoked_at);
}

}  // namespace
}  // namespace vt::app
