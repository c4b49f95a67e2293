// Domain records of the platform layer: organizations (tenants), members, API
// tokens, and the authenticated principal a request acts as.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/jcs.h"
#include "base/status.h"

namespace vt::domain {

// What kind of tenant an organization is. The operator runs the CA and the log.
enum class OrgKind { kOperator, kStudio, kAgency, kPlatform, kTalent, kOther };
std::string_view OrgKindName(OrgKind k);
StatusOr<OrgKind> ParseOrgKind(std::string_view s);

// Roles, from most to least powerful. admin: manage the organization's members and
// tokens and every write; member: ordinary writes (characters, works...); auditor:
// read-only.
enum class Role { kAdmin, kMember, kAuditor };
std::string_view RoleName(Role r);
StatusOr<Role> ParseRole(std::string_view s);

struct Org {
  std::string id;  // "org_..."
  std::string name;
  OrgKind kind = OrgKind::kStudio;
  std::string created_at;  // RFC 3339
  Json ToJson() const;
};

struct Member {
  std::string id;  // "mem_..."
  std::string org_id;
  std::string name;
  std::string email;  // may be empty
  Role role = Role::kMember;
  std::string created_at;
  std::optional<std::string> removed_at;
  Json ToJson() const;
};

struct TokenInfo {
  std::string id;  // "tok_..."; the public half of the token
  std::string org_id;
  std::string member_id;
  std::string name;
  Role role = Role::kMember;  // the member's role when the token was created
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
  Json ToJson() const;  // never contains the secret or its hash
};

// Who a request acts as. Built by authentication; passed to every operation.
struct Principal {
  std::string org_id;
  std::string member_id;
  std::string token_id;  // empty for local (data-directory) access
  Role role = Role::kAuditor;
  bool is_operator = false;  // member of the operator organization

  bool CanWrite() const { return role == Role::kAdmin || role == Role::kMember; }
  bool IsAdmin() const { return role == Role::kAdmin; }
  // True if the principal may read data of organization `org_id`.
  bool CanRead(std::string_view org) const { return is_operator || org == org_id; }
  Json ToJson() const;
};

}  // namespace vt::domain
