#include "app/access/access_ops.h"

#include <algorithm>
#include <chrono>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "domain/names.h"

namespace vt::app {
namespace {

constexpr std::string_view kTokenPrefix = "vtk.";

Status AppendEntry(LogEntries& log, const Clock& clock, const Principal& p, const std::string& type,
                   const Json& subject, const Json& payload, int version = 1) {
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry(type, version, clock, {p.org_id, p.member_id}, subject, payload));
  log.push_back(std::move(e));
  return OkStatus();
}

// org.registered v2 (docs/log-entries.md): the name may be a person's (a talent
// organization), so the log carries its commitment.
Json OrgPayload(const Org& org) {
  Json j = org.ToJson();
  j["name"] = Confidential(org.name, org.id);
  return j;
}

// member.added v2: a member's name is personal data; the e-mail is never logged.
Json MemberPayload(const Member& m) {
  Json j = m.ToJson();
  j.erase("email");
  j.erase("removed_at");
  j["name"] = Confidential(m.name, m.org_id);
  return j;
}

}  // namespace

std::optional<BearerToken> ParseBearerToken(std::string_view bearer) {
  if (bearer.substr(0, kTokenPrefix.size()) != kTokenPrefix) return std::nullopt;
  std::string_view rest = bearer.substr(kTokenPrefix.size());
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos || dot > 64 || rest.size() > 200) return std::nullopt;
  return BearerToken{std::string(rest.substr(0, dot)), std::string(rest.substr(dot + 1))};
}

std::string FormatBearerToken(std::string_view id, std::string_view secret) {
  return std::string(kTokenPrefix) + std::string(id) + "." + std::string(secret);
}

std::string TokenSecretHash(std::string_view secret) {
  return crypto::Sha256(std::string("vtrust-api-token/v1\n") + std::string(secret));
}

Status BadTokenError() { return UnauthenticatedError("invalid, expired or revoked API token"); }

StatusOr<AuthenticatedToken> VerifyToken(store::AccessReader& repo, std::string_view token_id,
                                         std::string_view presented_hash, std::string_view now) {
  auto found = repo.FindTokenCredential(token_id);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return BadTokenError();
    return std::move(found).status();
  }
  const store::TokenCredential& t = *found;
  // Constant-time comparison of the stored hash with the hash of the presented secret.
  if (!ConstantTimeEquals(t.secret_hash, presented_hash)) return BadTokenError();
  if (t.revoked_at || t.member_removed_at) return BadTokenError();
  if (t.expires_at && *t.expires_at <= now) return BadTokenError();
  // Roles are ordered admin < member < auditor: the weaker of the two applies.
  Role role = std::max(t.token_role, t.member_role);
  Principal p{t.org_id, t.member_id, std::string(token_id), role, t.org_kind == OrgKind::kOperator};
  return AuthenticatedToken{std::move(p), t.expires_at};
}

Status CheckRead(const Principal& p, const std::string& org_id) {
  if (!p.CanRead(org_id)) return NotFoundError("organization " + org_id + " not found");
  return OkStatus();
}

Status CheckAdmin(const Principal& p, const std::string& org_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  if (!p.IsAdmin())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not manage organization " + org_id +
                                 "; an admin is required");
  return OkStatus();
}

Status CheckCreateOrg(const Principal& p, const std::string& name, OrgKind kind) {
  if (!p.is_operator || !p.IsAdmin())
    return PermissionDeniedError(
        "only an admin of the operator organization may create "
        "organizations");
  if (std::string why = NameProblem(name); !why.empty())
    return InvalidArgumentError("name " + why).WithField("name");
  if (kind == OrgKind::kOperator)
    return InvalidArgumentError("there is exactly one operator organization").WithField("kind");
  return OkStatus();
}

Status InsertNewOrg(store::AccessWriter& repo, const Principal& p, const Org& org,
                    const Clock& clock, LogEntries& log) {
  Status s = repo.InsertOrg(org);
  if (s.code() == StatusCode::kAlreadyExists)
    return AlreadyExistsError("an organization named '" + org.name + "' already exists")
        .WithField("name");
  VT_RETURN_IF_ERROR(s);
  return AppendEntry(log, clock, p, "org.registered", {{"org", org.id}}, OrgPayload(org), 2);
}

Status CheckAddMember(const Principal& p, const std::string& org_id, const std::string& name,
                      const std::string& email) {
  VT_RETURN_IF_ERROR(CheckAdmin(p, org_id));
  if (std::string why = NameProblem(name); !why.empty())
    return InvalidArgumentError("name " + why).WithField("name");
  if (!email.empty() &&
      (email.size() > 254 || email.find('@') == std::string::npos || !IsValidName(email, 254)))
    return InvalidArgumentError("email is not a valid address").WithField("email");
  return OkStatus();
}

Status InsertNewMember(store::AccessWriter& repo, const Principal& p, const Member& m,
                       const Clock& clock, LogEntries& log) {
  VT_RETURN_IF_ERROR(repo.FindOrg(m.org_id).status());
  Status s = repo.InsertMember(m);
  if (s.code() == StatusCode::kAlreadyExists)
    return AlreadyExistsError("organization " + m.org_id + " already has a member named '" +
                              m.name + "'")
        .WithField("name");
  VT_RETURN_IF_ERROR(s);
  return AppendEntry(log, clock, p, "member.added", {{"org", m.org_id}, {"member", m.id}},
                     MemberPayload(m), 2);
}

Status CheckRemoveMember(const Principal& p, const std::string& org_id,
                         const std::string& member_id) {
  VT_RETURN_IF_ERROR(CheckAdmin(p, org_id));
  if (member_id == p.member_id)
    return FailedPreconditionError("a member cannot remove itself").WithField("member");
  return OkStatus();
}

StatusOr<Member> RemoveMemberNow(store::AccessWriter& repo, const Principal& p,
                                 const std::string& org_id, const std::string& member_id,
                                 const Clock& clock, LogEntries& log) {
  VT_ASSIGN_OR_RETURN(Member m, repo.FindMember(org_id, member_id));
  if (m.removed_at) return FailedPreconditionError("member " + member_id + " is already removed");
  std::string now = FormatRfc3339(clock.Now());
  m.removed_at = now;
  VT_RETURN_IF_ERROR(repo.SetMemberRemoved(member_id, now));
  VT_RETURN_IF_ERROR(repo.RevokeMemberTokens(member_id, now));
  VT_RETURN_IF_ERROR(AppendEntry(log, clock, p, "member.removed",
                                 {{"org", org_id}, {"member", member_id}}, {{"removed_at", now}}));
  return m;
}

Status CheckCreateToken(const Principal& p, const std::string& org_id, const std::string& member_id,
                        const std::string& name, int64_t ttl_seconds) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  // docs/api.md "Role matrix": auditors are read-only, tokens included.
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' is read-only and may not create tokens");
  if (!p.IsAdmin() && !(member_id == p.member_id && p.org_id == org_id))
    return PermissionDeniedError("only an admin may create tokens for other members");
  if (std::string why = NameProblem(name, 100); !why.empty())
    return InvalidArgumentError("name " + why).WithField("name");
  if (ttl_seconds < 0 || ttl_seconds > 10LL * 366 * 24 * 3600)
    return InvalidArgumentError("ttl_seconds must be between 0 (no expiry) and 10 years")
        .WithField("ttl_seconds");
  return OkStatus();
}

StatusOr<TokenInfo> InsertNewToken(store::AccessWriter& repo, const Principal& p,
                                   const std::string& org_id, const std::string& member_id,
                                   const std::string& name, int64_t ttl_seconds,
                                   std::string_view secret_hash, const Clock& clock, Rng& rng) {
  VT_ASSIGN_OR_RETURN(Member m, repo.FindMember(org_id, member_id));
  if (m.removed_at) return FailedPreconditionError("member " + member_id + " was removed");
  // The creating token's expiry (none for local access, which has no token).
  std::optional<std::string> creator_expires;
  if (!p.token_id.empty()) {
    VT_ASSIGN_OR_RETURN(TokenInfo creator, repo.FindToken(p.org_id, p.token_id));
    creator_expires = creator.expires_at;
  }
  if (creator_expires && ttl_seconds == 0)
    return PermissionDeniedError("a token that expires (at " + *creator_expires +
                                 ") may not create a token without expiry; give ttl_seconds")
        .WithField("ttl_seconds");
  auto now = clock.Now();
  // Never more rights than the creating token: roles are ordered admin < member <
  // auditor, so the weaker of the member's role and the creator's applies.
  Role role = std::max(m.role, p.role);
  TokenInfo t{NewId("tok", rng), org_id, member_id, name, role, FormatRfc3339(now), {}, {}};
  if (ttl_seconds > 0) t.expires_at = FormatRfc3339(now + std::chrono::seconds(ttl_seconds));
  // Never outliving the creating token (RFC 3339 strings in one format compare in
  // time order).
  if (creator_expires && t.expires_at && *t.expires_at > *creator_expires)
    return PermissionDeniedError("the new token would outlive the token that creates it (" +
                                 *creator_expires + "); ask for a shorter ttl_seconds")
        .WithField("ttl_seconds");
  VT_RETURN_IF_ERROR(repo.InsertToken(t, secret_hash));
  return t;
}

StatusOr<TokenInfo> RevokeTokenNow(store::AccessWriter& repo, const Principal& p,
                                   const std::string& org_id, const std::string& token_id,
                                   const Clock& clock) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' is read-only and may not revoke tokens");
  VT_ASSIGN_OR_RETURN(TokenInfo t, repo.FindToken(org_id, token_id));
  if (!p.IsAdmin() && t.member_id != p.member_id)
    return PermissionDeniedError("only an admin may revoke another member's token");
  if (t.revoked_at) return t;  // idempotent
  t.revoked_at = FormatRfc3339(clock.Now());
  VT_RETURN_IF_ERROR(repo.SetTokenRevoked(token_id, *t.revoked_at));
  return t;
}

StatusOr<OperatorRows> BootstrapOperator(store::AccessWriter& repo, const Clock& clock, Rng& rng,
                                         LogEntries& log) {
  VT_ASSIGN_OR_RETURN(bool exists, repo.HasOperatorOrg());
  if (exists) return FailedPreconditionError("this database already has an operator organization");
  std::string now = FormatRfc3339(clock.Now());
  OperatorRows out;
  out.org = Org{NewId("org", rng), "operator", OrgKind::kOperator, now};
  out.admin = Member{NewId("mem", rng), out.org.id, "admin", "", Role::kAdmin, now, {}};
  VT_RETURN_IF_ERROR(repo.InsertOrg(out.org));
  VT_RETURN_IF_ERROR(repo.InsertMember(out.admin));
  EntryActor actor{out.org.id, out.admin.id};
  VT_ASSIGN_OR_RETURN(std::string e1, MakeEntry("org.registered", 2, clock, actor,
                                                {{"org", out.org.id}}, OrgPayload(out.org)));
  VT_ASSIGN_OR_RETURN(std::string e2, MakeEntry("member.added", 2, clock, actor,
                                                {{"org", out.org.id}, {"member", out.admin.id}},
                                                MemberPayload(out.admin)));
  log.push_back(std::move(e1));
  log.push_back(std::move(e2));
  return out;
}

}  // namespace vt::app
