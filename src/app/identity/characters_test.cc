// The character registry on every storage backend (SQLite always, PostgreSQL
// when VTRUST_TEST_PG is set): registration, updates, retirement, authorization
// and refusal of bad input without writing anything.
#include "app/identity/characters.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/access/service.h"
#include "store/store_testing.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace {

const std::string kHexA(64, 'a');
const std::string kHexB = std::string(63, '0') + "B";

class CharactersTest : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("chars_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
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
    reg_ = std::make_unique<CharacterRegistry>(*svc_, SystemRng::Get());
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
  static CharacterInput Aria() {
    CharacterInput in;
    in.name = "Aria";
    in.names = {{"zh-Hans", "艾莉亚"}, {"en", "Aria"}};
    in.description = "A singer";
    in.creators = {"Studio A design team"};
    in.likeness = {{"face", kHexA, kHexB}, {"voice", kHexB, kHexA}};
    in.ai_driven = true;
    in.digital_human_code = "CN-DH-0001";
    return in;
  }
  int64_t LogSize() { return svc_->log().Published().size; }
  // Registration of `in` fails with InvalidArgument naming `field`, writing nothing.
  void ExpectRefused(CharacterInput in, const std::string& field) {
    int64_t before = LogSize();
    auto r = reg_->Register(member_, std::move(in));
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
    EXPECT_EQ(r.status().field(), field);
    EXPECT_EQ(LogSize(), before);
    EXPECT_TRUE(reg_->List(op_)->empty());
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  FakeClock clock_{1'800'000'000'000};
  std::unique_ptr<Service> svc_;
  std::unique_ptr<CharacterRegistry> reg_;
  Principal op_, member_, auditor_, stranger_;
  Org studio_, other_;
};

TEST_P(CharactersTest, RegisterAssignsCheckedIdAndLogs) {
  int64_t before = LogSize();
  auto w = reg_->Register(member_, Aria());
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const Character& c = w->value;
  EXPECT_TRUE(x509::IsCanonicalRegistryId(c.id)) << c.id;
  EXPECT_EQ(c.urn, "urn:vtrust:char:" + c.id);
  EXPECT_EQ(c.owner_org, studio_.id);
  EXPECT_EQ(c.status, CharacterStatus::kActive);
  EXPECT_EQ(c.data.likeness[1].sha256, std::string(63, '0') + "b");  // normalized
  ASSERT_EQ(w->receipts.size(), 1u);
  EXPECT_EQ(w->receipts[0]["index"].get<int64_t>(), before);
  EXPECT_EQ(LogSize(), before + 1);
  auto e = svc_->Read<std::string>(
      [&](store::Conn& conn) { return TransparencyLog::ReadEntry(conn, before); });
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  Json entry = Json::parse(*e);
  EXPECT_EQ(entry["type"], "character.registered");
  EXPECT_EQ(entry["subject"]["character"], c.id);
  EXPECT_EQ(entry["payload"]["names"]["zh-Hans"], "艾莉亚");

  // Read back in any typed form.
  std::string typed = c.id;
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(ch));
  auto got = reg_->Get(member_, typed);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->ToJson(), c.ToJson());
  EXPECT_EQ(reg_->List(member_)->size(), 1u);
  EXPECT_EQ(reg_->List(op_)->size(), 1u);
  EXPECT_TRUE(reg_->List(stranger_)->empty());
}

TEST_P(CharactersTest, UpdateAndRetire) {
  auto c = reg_->Register(member_, Aria())->value;
  clock_.Advance(std::chrono::seconds(5));
  auto u =
      reg_->Update(member_, c.id, {{"description", "A singer and dancer"}, {"ai_driven", false}});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->receipts.size(), 1u);
  EXPECT_EQ(u->value.data.description, "A singer and dancer");
  EXPECT_FALSE(u->value.data.ai_driven);
  EXPECT_EQ(u->value.data.names.at("zh-Hans"), "艾莉亚");  // untouched
  EXPECT_NE(u->value.updated_at, u->value.created_at);
  EXPECT_EQ(reg_->Get(op_, c.id)->data.description, "A singer and dancer");

  auto r = reg_->Retire(member_, c.id, "end of series");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->value.status, CharacterStatus::kRetired);
  ASSERT_TRUE(r->value.retired_at.has_value());
  int64_t size = LogSize();
  EXPECT_EQ(reg_->Retire(member_, c.id).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(reg_->Update(member_, c.id, {{"name", "X"}}).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(LogSize(), size);
  EXPECT_EQ(reg_->Get(member_, c.id)->status, CharacterStatus::kRetired);
}

TEST_P(CharactersTest, Authorization) {
  auto c = reg_->Register(member_, Aria())->value;
  int64_t size = LogSize();
  // Another organization learns nothing.
  EXPECT_EQ(reg_->Get(stranger_, c.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reg_->Update(stranger_, c.id, {{"name", "X"}}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reg_->Retire(stranger_, c.id).status().code(), StatusCode::kNotFound);
  // Auditors read but do not write.
  EXPECT_TRUE(reg_->Get(auditor_, c.id).ok());
  EXPECT_EQ(reg_->Register(auditor_, Aria()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reg_->Update(auditor_, c.id, {{"name", "X"}}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(reg_->Retire(auditor_, c.id).status().code(), StatusCode::kPermissionDenied);
  // Only operator admins choose another owner.
  EXPECT_EQ(reg_->Register(member_, Aria(), other_.id).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(LogSize(), size);
  auto theirs = reg_->Register(op_, Aria(), other_.id);
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  EXPECT_EQ(theirs->value.owner_org, other_.id);
  EXPECT_TRUE(reg_->Get(stranger_, theirs->value.id).ok());
  EXPECT_EQ(reg_->Register(op_, Aria(), "org_nosuch").status().field(), "owner_org");
  // Unknown and malformed IDs are NotFound.
  EXPECT_EQ(reg_->Get(op_, "VC-0000-0000-0000-0000").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reg_->Get(op_, "nonsense").status().code(), StatusCode::kNotFound);
}

TEST_P(CharactersTest, BadInputIsRefusedWithFieldAndNothingWritten) {
  auto in = Aria();
  in.name = "";
  ExpectRefused(in, "name");
  in = Aria();
  in.names["en"] = "";
  ExpectRefused(in, "names.en");
  in = Aria();
  in.likeness[0].sha256 = "xyz";
  ExpectRefused(in, "likeness[0].sha256");
  in = Aria();
  in.likeness[1].sm3 = kHexA + "00";
  ExpectRefused(in, "likeness[1].sm3");
  in = Aria();
  in.likeness[0].kind = "hologram";
  ExpectRefused(in, "likeness[0].kind");
  in = Aria();
  in.digital_human_code = "no spaces allowed";
  ExpectRefused(in, "digital_human_code");
  // Bad updates leave the record and the log alone.
  auto c = reg_->Register(member_, Aria())->value;
  int64_t size = LogSize();
  auto bad = reg_->Update(member_, c.id,
                          {{"likeness", {{{"kind", "face"}, {"sha256", "zz"}, {"sm3", kHexA}}}}});
  EXPECT_EQ(bad.status().field(), "likeness[0].sha256");
  EXPECT_EQ(reg_->Update(member_, c.id, {{"colour", "red"}}).status().field(), "colour");
  EXPECT_EQ(reg_->Update(member_, c.id, Json::object()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(LogSize(), size);
  EXPECT_EQ(reg_->Get(member_, c.id)->ToJson(), c.ToJson());
}

TEST(CharacterJson, ParsesAndRejectsShapes) {
  Json body = {{"name", "Aria"},
               {"names", {{"en", "Aria"}}},
               {"likeness", {{{"kind", "face"}, {"sha256", kHexA}, {"sm3", kHexA}}}},
               {"ai_driven", true}};
  auto in = CharacterInputFromJson(body);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->likeness.size(), 1u);
  EXPECT_TRUE(in->ai_driven);
  EXPECT_EQ(CharacterInputFromJson({{"names", {{"en", "A"}}}}).status().field(), "name");
  EXPECT_EQ(CharacterInputFromJson({{"name", "A"}, {"ai_driven", "yes"}}).status().field(),
            "ai_driven");
  EXPECT_EQ(
      CharacterInputFromJson({{"name", "A"}, {"likeness", {{{"kind", "face"}}}}}).status().field(),
      "likeness[0].sha256");
}

VT_INSTANTIATE_BACKEND_TEST(CharactersTest);

}  // namespace
}  // namespace vt::app
