// The access use cases (organizations, members, API tokens, authentication)
// written against the access repository (store/access/access_repo.h), so that
// they run over SQL inside the committer's transaction (Service, access.cc) and
// over the in-memory repository in unit tests. Each write returns the
// transparency-log entries it produced in `log` (docs/log-entries.md); the
// caller queues them on its WriteContext.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/core/domain_names.h"
#include "base/clock.h"
#include "base/rng.h"
#include "base/status.h"
#include "store/access/access_repo.h"

namespace vt::app {

// Log entries produced by a use case, in order (canonical bytes).
using LogEntries = std::vector<std::string>;

// A bearer token split into its public id and its secret ("vtk.<id>.<secret>").
struct BearerToken {
  std::string id;
  std::string secret;
};

// The parts of `bearer`; nullopt if it is not shaped like one of our tokens.
std::optional<BearerToken> ParseBearerToken(std::string_view bearer);
// The bearer string for token `id` with `secret`.
std::string FormatBearerToken(std::string_view id, std::string_view secret);
// The stored hash of a token secret (domain-separated SHA-256).
std::string TokenSecretHash(std::string_view secret);

// An authenticated token: the principal and when the token expires (if ever).
struct AuthenticatedToken {
  Principal principal;
  std::optional<std::string> expires_at;
};

// Checks token `token_id` presented with a secret whose hash is `presented_hash`
// at time `now` (RFC 3339). Unauthenticated for an unknown token, a wrong secret,
// an expired or revoked token or a removed member (one message for all); storage
// errors otherwise. The weaker of the token's and the member's role applies.
StatusOr<AuthenticatedToken> VerifyToken(store::AccessReader& repo, std::string_view token_id,
                                         std::string_view presented_hash, std::string_view now);

// The error every authentication failure returns.
Status BadTokenError();

// Non-operators never learn whether another organization's objects exist:
// NotFound unless `p` may read organization `org_id`.
Status CheckRead(const Principal& p, const std::string& org_id);
// CheckRead, then PermissionDenied unless `p` is an admin.
Status CheckAdmin(const Principal& p, const std::string& org_id);

// Creating an organization: only an operator admin, a valid name, never a
// second operator. InvalidArgument / PermissionDenied otherwise.
Status CheckCreateOrg(const Principal& p, const std::string& name, OrgKind kind);
// Stores `org` (checked by CheckCreateOrg) and logs org.registered.
// AlreadyExists for a taken name.
Status InsertNewOrg(store::AccessWriter& repo, const Principal& p, const Org& org,
                    const Clock& clock, LogEntries& log);

// Adding a member: an admin of the organization, a valid name and email.
Status CheckAddMember(const Principal& p, const std::string& org_id, const std::string& name,
                      const std::string& email);
// Stores `m` (checked by CheckAddMember) and logs member.added without the email.
// NotFound for an unknown organization; AlreadyExists for a taken name.
Status InsertNewMember(store::AccessWriter& repo, const Principal& p, const Member& m,
                       const Clock& clock, LogEntries& log);

// Removing a member: an admin of the organization, never itself.
Status CheckRemoveMember(const Principal& p, const std::string& org_id,
                         const std::string& member_id);
// Marks the member removed at clock.Now(), revokes its tokens and logs
// member.removed. NotFound for an unknown member; FailedPrecondition if it is
// already removed. Returns the member as removed.
StatusOr<Member> RemoveMemberNow(store::AccessWriter& repo, const Principal& p,
                                 const std::string& org_id, const std::string& member_id,
                                 const Clock& clock, LogEntries& log);

// Creating a token (docs/api.md "Role matrix"): an admin for any member of the
// organization, a member for itself, never an auditor (read-only); a name of
// 1-100 characters; ttl_seconds 0 (no expiry) to 10 years. PermissionDenied /
// InvalidArgument otherwise. InsertNewToken checks the creating token's expiry.
Status CheckCreateToken(const Principal& p, const std::string& org_id, const std::string& member_id,
                        const std::string& name, int64_t ttl_seconds);
// Stores a new token (id from `rng`) for member `member_id`, created by `p` at
// clock.Now(), holding `secret_hash`. Its role is the weaker of the member's and
// `p`'s, so a token never has more rights than the one that created it;
// PermissionDenied (field ttl_seconds) if it would expire after `p`'s token
// (p.token_id, looked up in `repo`; local access has none), or never while
// `p`'s token does.
// NotFound for an unknown member; FailedPrecondition for a removed one. Not
// logged: tokens are credentials, not registry facts.
StatusOr<TokenInfo> InsertNewToken(store::AccessWriter& repo, const Principal& p,
                                   const std::string& org_id, const std::string& member_id,
                                   const std::string& name, int64_t ttl_seconds,
                                   std::string_view secret_hash, const Clock& clock, Rng& rng);

// Revokes token `token_id` at clock.Now() (idempotent: an already revoked token
// is returned as it is). A member may only revoke its own tokens, an auditor
// none (read-only). NotFound for an unknown token.
StatusOr<TokenInfo> RevokeTokenNow(store::AccessWriter& repo, const Principal& p,
                                   const std::string& org_id, const std::string& token_id,
                                   const Clock& clock);

// The rows written by BootstrapOperator.
struct OperatorRows {
  Org org;
  Member admin;
};
// Creates the operator organization and its first admin ("admin"), ids from
// `rng`, and logs org.registered and member.added. FailedPrecondition if an
// operator organization exists already.
StatusOr<OperatorRows> BootstrapOperator(store::AccessWriter& repo, const Clock& clock, Rng& rng,
                                         LogEntries& log);

}  // namespace vt::app
