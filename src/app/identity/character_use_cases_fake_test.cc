// The character use cases against the in-memory identity repository: no
// database, a fixed clock and a deterministic random source.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/identity/character_use_cases.h"
#include "base/clock.h"
#include "base/rng.h"
#include "store/identity/memory_identity_repo.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace {

class CharacterUseCasesFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.AddOrg("org-a", "Studio A");
    repo_.AddOrg("org-b", "Studio B");
  }

  CharacterInput Input(const std::string& name) {
    CharacterInput in;
    in.name = name;
    in.likeness.push_back({"face", std::string(64, 'A'), std::string(64, 'b')});
    return in;
  }

  // Runs the registration as CharacterRegistry::Register does.
  StatusOr<Character> Register(const Principal& p, CharacterInput in,
                               const std::string& owner_org = "") {
    VT_ASSIGN_OR_RETURN(std::string owner, CheckCharacterRegistration(p, in, owner_org));
    return RegisterCharacter(repo_, p, in, owner, clock_, rng_, sink_);
  }

  store::MemoryIdentityRepo repo_;
  FakeClock clock_{1'700'000'000'000};
  DeterministicRng rng_{42};
  std::vector<std::string> entries_;
  LogSink sink_ = [this](std::string e) { entries_.push_back(std::move(e)); };
  Principal member_{"org-a", "m-1", "", Role::kMember, false};
  Principal auditor_{"org-a", "m-2", "", Role::kAuditor, false};
  Principal stranger_{"org-b", "m-3", "", Role::kAdmin, false};
  Principal operator_admin_{"op", "m-4", "", Role::kAdmin, true};
};

TEST_F(CharacterUseCasesFakeTest, RegisterStoresRowAndLogsOneEntry) {
  auto ch = Register(member_, Input("Aiko"));
  ASSERT_TRUE(ch.ok()) << ch.status().message();
  EXPECT_TRUE(x509::NormalizeRegistryId(ch->id).ok());
  EXPECT_EQ(ch->urn, x509::CharacterUrn(ch->id));
  EXPECT_EQ(ch->owner_org, "org-a");
  EXPECT_EQ(ch->status, CharacterStatus::kActive);
  EXPECT_EQ(ch->created_at, FormatRfc3339(clock_.Now()));
  EXPECT_EQ(ch->data.likeness[0].sha256, std::string(64, 'a'));  // normalized
  ASSERT_EQ(repo_.characters().count(ch->id), 1u);
  EXPECT_EQ(repo_.characters().at(ch->id).org_id, "org-a");
  ASSERT_EQ(entries_.size(), 1u);
  EXPECT_NE(entries_[0].find("character.registered"), std::string::npos);

  auto again = LoadVisibleCharacter(repo_, member_, ch->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->data.name, "Aiko");
}

TEST_F(CharacterUseCasesFakeTest, RegistrationRefusalsWriteNothing) {
  EXPECT_EQ(Register(auditor_, Input("X")).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Register(member_, Input("X"), "org-b").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Register(member_, Input("")).status().code(), StatusCode::kInvalidArgument);
  auto unknown = Register(operator_admin_, Input("X"), "org-zz");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().field(), "owner_org");
  EXPECT_TRUE(repo_.characters().empty());
  EXPECT_TRUE(entries_.empty());
  // Operator admins may register for another organization.
  auto other = Register(operator_admin_, Input("Ren"), "org-b");
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_EQ(other->owner_org, "org-b");
}

TEST_F(CharacterUseCasesFakeTest, OtherOrganizationsSeeNothing) {
  auto ch = Register(member_, Input("Aiko"));
  ASSERT_TRUE(ch.ok());
  EXPECT_EQ(LoadVisibleCharacter(repo_, stranger_, ch->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(
      UpdateCharacter(repo_, stranger_, ch->id, {{"name", "Y"}}, clock_, sink_).status().code(),
      StatusCode::kNotFound);
  EXPECT_TRUE(LoadVisibleCharacter(repo_, operator_admin_, ch->id).ok());
  auto listed = ListVisibleCharacters(repo_, stranger_, 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(ListVisibleCharacters(repo_, operator_admin_, 10)->size(), 1u);
}

TEST_F(CharacterUseCasesFakeTest, RetireIsFinal) {
  auto ch = Register(member_, Input("Aiko"));
  ASSERT_TRUE(ch.ok());
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_EQ(RetireCharacter(repo_, auditor_, ch->id, "", clock_, sink_).status().code(),
            StatusCode::kPermissionDenied);
  auto retired = RetireCharacter(repo_, member_, ch->id, "end of series", clock_, sink_);
  ASSERT_TRUE(retired.ok()) << retired.status().message();
  EXPECT_EQ(retired->status, CharacterStatus::kRetired);
  EXPECT_EQ(retired->retired_at, FormatRfc3339(clock_.Now()));
  EXPECT_EQ(repo_.characters().at(ch->id).status, CharacterStatus::kRetired);
  ASSERT_EQ(entries_.size(), 2u);
  EXPECT_NE(entries_[1].find("end of series"), std::string::npos);

  EXPECT_EQ(RetireCharacter(repo_, member_, ch->id, "", clock_, sink_).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(UpdateCharacter(repo_, member_, ch->id, {{"name", "Y"}}, clock_, sink_).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(entries_.size(), 2u);
  auto reread = LoadVisibleCharacter(repo_, member_, ch->id);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->status, CharacterStatus::kRetired);
  EXPECT_TRUE(reread->retired_at.has_value());
}

TEST_F(CharacterUseCasesFakeTest, UpdateChangesRecordAndTimestamp) {
  auto ch = Register(member_, Input("Aiko"));
  ASSERT_TRUE(ch.ok());
  clock_.Advance(std::chrono::seconds(5));
  auto up = UpdateCharacter(repo_, member_, ch->id, {{"description", "A singer"}}, clock_, sink_);
  ASSERT_TRUE(up.ok()) << up.status().message();
  EXPECT_EQ(up->data.description, "A singer");
  EXPECT_EQ(up->updated_at, FormatRfc3339(clock_.Now()));
  EXPECT_EQ(up->created_at, ch->created_at);
  EXPECT_EQ(LoadVisibleCharacter(repo_, member_, ch->id)->data.description, "A singer");
}

}  // namespace
}  // namespace vt::app
