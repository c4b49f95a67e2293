#include "domain/model.h"

namespace vt::domain {

std::string_view OrgKindName(OrgKind k) {
  switch (k) {
    case OrgKind::kOperator:
      return "operator";
    case OrgKind::kStudio:
      return "studio";
    case OrgKind::kAgency:
      return "agency";
    case OrgKind::kPlatform:
      return "platform";
    case OrgKind::kTalent:
      return "talent";
    case OrgKind::kOther:
      return "other";
  }
  return "other";
}

StatusOr<OrgKind> ParseOrgKind(std::string_view s) {
  for (OrgKind k : {OrgKind::kOperator, OrgKind::kStudio, OrgKind::kAgency, OrgKind::kPlatform,
                    OrgKind::kTalent, OrgKind::kOther})
    if (OrgKindName(k) == s) return k;
  return InvalidArgumentError("unknown organization kind '" + std::string(s) +
                              "' (studio, agency, platform, talent, other)")
      .WithField("kind");
}

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kMember:
      return "member";
    case Role::kAuditor:
      return "auditor";
  }
  return "auditor";
}

StatusOr<Role> ParseRole(std::string_view s) {
  for (Role r : {Role::kAdmin, Role::kMember, Role::kAuditor})
    if (RoleName(r) == s) return r;
  return InvalidArgumentError("unknown role '" + std::string(s) + "' (admin, member, auditor)")
      .WithField("role");
}

Json Org::ToJson() const {
  return {{"id", id}, {"name", name}, {"kind", OrgKindName(kind)}, {"created_at", created_at}};
}

Json Member::ToJson() const {
  Json j = {{"id", id},       {"org_id", org_id},       {"name", name},
            {"email", email}, {"role", RoleName(role)}, {"created_at", created_at}};
  if (removed_at) j["removed_at"] = *removed_at;
  return j;
}

Json TokenInfo::ToJson() const {
  Json j = {{"id", id},     {"org_id", org_id},       {"member_id", member_id},
            {"name", name}, {"role", RoleName(role)}, {"created_at", created_at}};
  j["expires_at"] = expires_at ? Json(*expires_at) : Json(nullptr);
  j["revoked_at"] = revoked_at ? Json(*revoked_at) : Json(nullptr);
  return j;
}

Json Principal::ToJson() const {
  return {{"org_id", org_id},
          {"member_id", member_id},
          {"token_id", token_id},
          {"role", RoleName(role)},
          {"operator", is_operator}};
}

}  // namespace vt::domain
