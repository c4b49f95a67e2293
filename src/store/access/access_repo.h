// Repositories over the access tables: orgs, members and api_tokens (schema
// version 1, store/migrations/v001_tenants_and_access.cc).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "store/sql.h"

namespace vt::store {

// What bearer-token authentication needs to know about one token: the token
// row joined with its member and its organization.
struct TokenCredential {
  std::string secret_hash;  // SHA-256 of the secret (app/access/access_ops.h)
  std::string org_id;
  std::string member_id;
  domain::Role token_role = domain::Role::kAuditor;
  std::optional<std::string> expires_at;  // RFC 3339
  std::optional<std::string> revoked_at;
  domain::Role member_role = domain::Role::kAuditor;
  std::optional<std::string> member_removed_at;
  domain::OrgKind org_kind = domain::OrgKind::kOther;
};

// A member named by its organization and id.
struct MemberRef {
  std::string org_id;
  std::string member_id;
};

// Read-only queries over the access tables. Stored roles and kinds this binary
// does not know read as Role::kAuditor and OrgKind::kOther (the least power).
class AccessReader {
 public:
  virtual ~AccessReader() = default;
  // A trivial query proving the connection works (health checks).
  virtual Status Ping() = 0;
  // The organization `id`; NotFound ("organization <id> not found") if absent.
  virtual StatusOr<domain::Org> FindOrg(std::string_view id) = 0;
  // Every organization, or only organization `only_id` when given (empty list if
  // it does not exist), ordered by creation time then id.
  virtual StatusOr<std::vector<domain::Org>> ListOrgs(std::optional<std::string_view> only_id) = 0;
  // True if an operator organization exists.
  virtual StatusOr<bool> HasOperatorOrg() = 0;
  // The earliest-created admin of the operator organization that is not removed;
  // NotFound if there is none.
  virtual StatusOr<MemberRef> FindFirstOperatorAdmin() = 0;
  // Member `id` of organization `org_id` (removed or not); NotFound ("member <id>
  // not found in organization <org>") if absent.
  virtual StatusOr<domain::Member> FindMember(std::string_view org_id, std::string_view id) = 0;
  // The members of `org_id` (removed ones included), by creation time then id.
  virtual StatusOr<std::vector<domain::Member>> ListMembers(std::string_view org_id) = 0;
  // Token `token_id` with its member and organization; NotFound if absent.
  virtual StatusOr<TokenCredential> FindTokenCredential(std::string_view token_id) = 0;
  // Token `token_id` of organization `org_id`; NotFound ("token <id> not found in
  // organization <org>") if absent.
  virtual StatusOr<domain::TokenInfo> FindToken(std::string_view org_id,
                                                std::string_view token_id) = 0;
  // The tokens of `org_id` (revoked and expired ones included), by creation time
  // then id.
  virtual StatusOr<std::vector<domain::TokenInfo>> ListTokens(std::string_view org_id) = 0;
};

// Writes, inside the committer's transaction. Not thread-safe (one writer).
class AccessWriter : public AccessReader {
 public:
  // Inserts `org`. AlreadyExists if an organization of that name (or id) exists.
  virtual Status InsertOrg(const domain::Org& org) = 0;
  // Inserts `m` (removed_at is not stored). AlreadyExists if its organization
  // already has a member of that name.
  virtual Status InsertMember(const domain::Member& m) = 0;
  // Sets the removal time of member `member_id`.
  virtual Status SetMemberRemoved(std::string_view member_id, std::string_view removed_at) = 0;
  // Revokes, at `revoked_at`, every token of `member_id` not yet revoked.
  virtual Status RevokeMemberTokens(std::string_view member_id, std::string_view revoked_at) = 0;
  // Inserts token `t` (revoked_at is not stored) with the hash of its secret.
  virtual Status InsertToken(const domain::TokenInfo& t, std::string_view secret_hash) = 0;
  // Sets the revocation time of token `token_id`.
  virtual Status SetTokenRevoked(std::string_view token_id, std::string_view revoked_at) = 0;
};

// The SQL implementation over an open connection (both dialects); `conn` must
// outlive it.
std::unique_ptr<AccessWriter> NewSqlAccessRepo(Conn& conn);

}  // namespace vt::store
