// Organizations, members and API tokens: the tenancy and access-control half of
// the Service.
#include <optional>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "app/core/domain_names.h"
#include "app/access/service.h"

namespace vt::app {
namespace {

constexpr std::string_view kTokenPrefix = "vtk.";

std::string SecretHash(std::string_view secret) {
  return crypto::Sha256(std::string("vtrust-api-token/v1\n") + std::string(secret));
}

Org OrgFromRow(const store::Row& r) {
  return Org{r.Text(0), r.Text(1), ParseOrgKind(r.Text(2)).value_or(OrgKind::kOther), r.Text(3)};
}
constexpr const char* kOrgCols = "id, name, kind, created_at";

Member MemberFromRow(const store::Row& r) {
  return Member{r.Text(0), r.Text(1), r.Text(2), r.Text(3),
                ParseRole(r.Text(4)).value_or(Role::kAuditor), r.Text(5), r.OptText(6)};
}
constexpr const char* kMemberCols = "id, org_id, name, email, role, created_at, removed_at";

TokenInfo TokenFromRow(const store::Row& r) {
  return TokenInfo{r.Text(0), r.Text(1), r.Text(2), r.Text(3),
                   ParseRole(r.Text(4)).value_or(Role::kAuditor), r.Text(5), r.OptText(6),
                   r.OptText(7)};
}
constexpr const char* kTokenCols =
    "id, org_id, member_id, name, role, created_at, expires_at, revoked_at";

// Non-operators never learn whether another organization's objects exist.
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

StatusOr<Org> LoadOrg(store::Conn& c, const std::string& id) {
  auto row = c.QueryOne(std::string("SELECT ") + kOrgCols + " FROM orgs WHERE id = ?", {id});
  if (!row.ok() && row.status().code() == StatusCode::kNotFound)
    return NotFoundError("organization " + id + " not found");
  VT_RETURN_IF_ERROR(row.status());
  return OrgFromRow(*row);
}

StatusOr<Member> LoadMember(store::Conn& c, const std::string& org_id, const std::string& id) {
  auto row = c.QueryOne(
      std::string("SELECT ") + kMemberCols + " FROM members WHERE id = ? AND org_id = ?",
      {id, org_id});
  if (!row.ok() && row.status().code() == StatusCode::kNotFound)
    return NotFoundError("member " + id + " not found in organization " + org_id);
  VT_RETURN_IF_ERROR(row.status());
  return MemberFromRow(*row);
}

Status Log(WriteContext& ctx, const Principal& p, const std::string& type, const Json& subject,
           const Json& payload) {
  VT_ASSIGN_OR_RETURN(std::string e, MakeEntry(type, 1, ctx.clock(), {p.org_id, p.member_id},
                                               subject, payload));
  ctx.AppendLog(std::move(e));
  return OkStatus();
}

}  // namespace

StatusOr<Principal> Service::Authenticate(std::string_view bearer) {
  auto bad = [] { return UnauthenticatedError("invalid, expired or revoked API token"); };
  if (bearer.substr(0, kTokenPrefix.size()) != kTokenPrefix) return bad();
  std::string_view rest = bearer.substr(kTokenPrefix.size());
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos || dot > 64 || rest.size() > 200) return bad();
  std::string id(rest.substr(0, dot));
  std::string_view secret = rest.substr(dot + 1);
  std::string now = FormatRfc3339(clock_.Now());
  std::string presented_hash = SecretHash(secret);
  if (auto cached = token_cache_.Get(id, presented_hash, now)) return *cached;
  uint64_t generation = token_cache_.generation();
  auto row = Read<store::Row>([&](store::Conn& c) {
    return c.QueryOne(
        "SELECT t.secret_hash, t.org_id, t.member_id, t.role, t.expires_at, t.revoked_at, "
        "m.role, m.removed_at, o.kind FROM api_tokens t JOIN members m ON m.id = t.member_id "
        "JOIN orgs o ON o.id = t.org_id WHERE t.id = ?",
        {id});
  });
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return bad();
    return std::move(row).status();
  }
  const store::Row& r = *row;
  // Constant-time comparison of the stored hash with the hash of the presented secret.
  if (!ConstantTimeEquals(r.Bytes(0), presented_hash)) return bad();
  if (!r.IsNull(5) || !r.IsNull(7)) return bad();
  if (!r.IsNull(4) && r.Text(4) <= now) return bad();
  Role token_role = ParseRole(r.Text(3)).value_or(Role::kAuditor);
  Role member_role = ParseRole(r.Text(6)).value_or(Role::kAuditor);
  // Roles are ordered admin < member < auditor: the weaker of the two applies.
  Role role = std::max(token_role, member_role);
  Principal p{r.Text(1), r.Text(2), id, role, r.Text(8) == "operator"};
  token_cache_.Put(id, presented_hash, p, r.OptText(4), generation);
  return p;
}

StatusOr<Written<Org>> Service::CreateOrg(const Principal& p, const std::string& name,
                                          OrgKind kind) {
  if (!p.is_operator || !p.IsAdmin())
    return PermissionDeniedError("only an admin of the operator organization may create "
                                 "organizations");
  if (!IsValidName(name))
    return InvalidArgumentError("name must be 1-200 characters without control characters")
        .WithField("name");
  if (kind == OrgKind::kOperator)
    return InvalidArgumentError("there is exactly one operator organization").WithField("kind");
  Org org{NewId("org", rng_), name, kind, FormatRfc3339(clock_.Now())};
  auto w = Write([&](WriteContext& ctx) -> Status {
    auto s = ctx.conn().Exec("INSERT INTO orgs(id,name,kind,created_at) VALUES(?,?,?,?)",
                             {org.id, org.name, std::string(OrgKindName(kind)), org.created_at});
    if (s.status().code() == StatusCode::kAlreadyExists)
      return AlreadyExistsError("an organization named '" + name + "' already exists")
          .WithField("name");
    VT_RETURN_IF_ERROR(s.status());
    return Log(ctx, p, "org.registered", {{"org", org.id}}, org.ToJson());
  });
  VT_RETURN_IF_ERROR(w.status());
  return Written<Org>{org, w->receipts};
}

StatusOr<std::vector<Org>> Service::ListOrgs(const Principal& p) {
  return Read<std::vector<Org>>([&](store::Conn& c) -> StatusOr<std::vector<Org>> {
    std::string sql = std::string("SELECT ") + kOrgCols + " FROM orgs";
    std::vector<store::Value> params;
    if (!p.is_operator) {
      sql += " WHERE id = ?";
      params.push_back(p.org_id);
    }
    VT_ASSIGN_OR_RETURN(auto rows, c.Query(sql + " ORDER BY created_at, id", params));
    std::vector<Org> out;
    for (const auto& r : rows) out.push_back(OrgFromRow(r));
    return out;
  });
}

StatusOr<Org> Service::GetOrg(const Principal& p, const std::string& org_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  if (std::optional<Org> hit = org_cache_.Get(org_id)) return *std::move(hit);
  auto org = Read<Org>([&](store::Conn& c) { return LoadOrg(c, org_id); });
  if (org.ok()) org_cache_.Put(*org);  // immutable once committed (org_cache.h)
  return org;
}

StatusOr<Written<Member>> Service::AddMember(const Principal& p, const std::string& org_id,
                                             const std::string& name, const std::string& email,
                                             Role role) {
  VT_RETURN_IF_ERROR(CheckAdmin(p, org_id));
  if (!IsValidName(name))
    return InvalidArgumentError("name must be 1-200 characters without control characters")
        .WithField("name");
  if (!email.empty() && (email.size() > 254 || email.find('@') == std::string::npos ||
                         !IsValidName(email, 254)))
    return InvalidArgumentError("email is not a valid address").WithField("email");
  Member m{NewId("mem", rng_), org_id, name, email, role, FormatRfc3339(clock_.Now()), {}};
  auto w = Write([&](WriteContext& ctx) -> Status {
    VT_RETURN_IF_ERROR(LoadOrg(ctx.conn(), org_id).status());
    auto s = ctx.conn().Exec(
        "INSERT INTO members(id,org_id,name,email,role,created_at) VALUES(?,?,?,?,?,?)",
        {m.id, org_id, name, email, std::string(RoleName(role)), m.created_at});
    if (s.status().code() == StatusCode::kAlreadyExists)
      return AlreadyExistsError("organization " + org_id + " already has a member named '" +
                                name + "'")
          .WithField("name");
    VT_RETURN_IF_ERROR(s.status());
    Json payload = m.ToJson();
    payload.erase("email");  // personal data stays out of the public log
    return Log(ctx, p, "member.added", {{"org", org_id}, {"member", m.id}}, payload);
  });
  VT_RETURN_IF_ERROR(w.status());
  return Written<Member>{m, w->receipts};
}

StatusOr<std::vector<Member>> Service::ListMembers(const Principal& p, const std::string& org_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  return Read<std::vector<Member>>([&](store::Conn& c) -> StatusOr<std::vector<Member>> {
    VT_RETURN_IF_ERROR(LoadOrg(c, org_id).status());
    VT_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kMemberCols +
                                               " FROM members WHERE org_id = ? ORDER BY "
                                               "created_at, id",
                                           {org_id}));
    std::vector<Member> out;
    for (const auto& r : rows) out.push_back(MemberFromRow(r));
    return out;
  });
}

StatusOr<Member> Service::GetMember(const Principal& p, const std::string& org_id,
                                    const std::string& member_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  return Read<Member>([&](store::Conn& c) { return LoadMember(c, org_id, member_id); });
}

StatusOr<Written<Member>> Service::RemoveMember(const Principal& p, const std::string& org_id,
                                                const std::string& member_id) {
  VT_RETURN_IF_ERROR(CheckAdmin(p, org_id));
  if (member_id == p.member_id)
    return FailedPreconditionError("a member cannot remove itself").WithField("member");
  Member m;
  auto w = Write([&](WriteContext& ctx) -> Status {
    VT_ASSIGN_OR_RETURN(m, LoadMember(ctx.conn(), org_id, member_id));
    if (m.removed_at) return FailedPreconditionError("member " + member_id + " is already removed");
    std::string now = FormatRfc3339(ctx.clock().Now());
    m.removed_at = now;
    VT_RETURN_IF_ERROR(
        ctx.conn().Exec("UPDATE members SET removed_at = ? WHERE id = ?", {now, member_id}).status());
    VT_RETURN_IF_ERROR(ctx.conn()
                           .Exec("UPDATE api_tokens SET revoked_at = ? WHERE member_id = ? AND "
                                 "revoked_at IS NULL",
                                 {now, member_id})
                           .status());
    return Log(ctx, p, "member.removed", {{"org", org_id}, {"member", member_id}},
               {{"removed_at", now}});
  });
  VT_RETURN_IF_ERROR(w.status());
  token_cache_.EraseMember(member_id);  // its tokens were revoked in the same write
  return Written<Member>{m, w->receipts};
}

StatusOr<Written<NewToken>> Service::CreateToken(const Principal& p, const std::string& org_id,
                                                 const std::string& member_id,
                                                 const std::string& name, int64_t ttl_seconds) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  if (!p.IsAdmin() && !(member_id == p.member_id && p.org_id == org_id))
    return PermissionDeniedError("only an admin may create tokens for other members");
  if (!IsValidName(name, 100))
    return InvalidArgumentError("name must be 1-100 characters").WithField("name");
  if (ttl_seconds < 0 || ttl_seconds > 10LL * 366 * 24 * 3600)
    return InvalidArgumentError("ttl_seconds must be between 0 (no expiry) and 10 years")
        .WithField("ttl_seconds");
  NewToken t;
  std::string secret = Base64UrlEncode(std::string(
      reinterpret_cast<const char*>(rng_.Bytes(32).data()), 32));  // 256 random bits
  auto w = Write([&](WriteContext& ctx) -> Status {
    VT_ASSIGN_OR_RETURN(Member m, LoadMember(ctx.conn(), org_id, member_id));
    if (m.removed_at) return FailedPreconditionError("member " + member_id + " was removed");
    auto now = ctx.clock().Now();
    t.info = TokenInfo{NewId("tok", rng_), org_id, member_id, name, m.role, FormatRfc3339(now),
                       {}, {}};
    if (ttl_seconds > 0) t.info.expires_at = FormatRfc3339(now + std::chrono::seconds(ttl_seconds));
    store::Value expires =
        t.info.expires_at ? store::Value(*t.info.expires_at) : store::Value(std::monostate{});
    VT_RETURN_IF_ERROR(ctx.conn()
                           .Exec("INSERT INTO api_tokens(id,org_id,member_id,name,role,secret_hash,"
                                 "created_at,expires_at) VALUES(?,?,?,?,?,?,?,?)",
                                 {t.info.id, org_id, member_id, name,
                                  std::string(RoleName(m.role)), store::Blob{SecretHash(secret)},
                                  t.info.created_at, expires})
                           .status());
    return OkStatus();  // tokens are credentials, not registry facts: not logged
  });
  VT_RETURN_IF_ERROR(w.status());
  t.secret = std::string(kTokenPrefix) + t.info.id + "." + secret;
  return Written<NewToken>{t, w->receipts};
}

StatusOr<std::vector<TokenInfo>> Service::ListTokens(const Principal& p,
                                                     const std::string& org_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  return Read<std::vector<TokenInfo>>([&](store::Conn& c) -> StatusOr<std::vector<TokenInfo>> {
    VT_RETURN_IF_ERROR(LoadOrg(c, org_id).status());
    VT_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kTokenCols +
                                               " FROM api_tokens WHERE org_id = ? ORDER BY "
                                               "created_at, id",
                                           {org_id}));
    std::vector<TokenInfo> out;
    for (const auto& r : rows) out.push_back(TokenFromRow(r));
    return out;
  });
}

StatusOr<Written<TokenInfo>> Service::RevokeToken(const Principal& p, const std::string& org_id,
                                                  const std::string& token_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  TokenInfo t;
  auto w = Write([&](WriteContext& ctx) -> Status {
    auto row = ctx.conn().QueryOne(
        std::string("SELECT ") + kTokenCols + " FROM api_tokens WHERE id = ? AND org_id = ?",
        {token_id, org_id});
    if (!row.ok() && row.status().code() == StatusCode::kNotFound)
      return NotFoundError("token " + token_id + " not found in organization " + org_id);
    VT_RETURN_IF_ERROR(row.status());
    t = TokenFromRow(*row);
    if (!p.IsAdmin() && t.member_id != p.member_id)
      return PermissionDeniedError("only an admin may revoke another member's token");
    if (t.revoked_at) return OkStatus();  // idempotent
    t.revoked_at = FormatRfc3339(ctx.clock().Now());
    return ctx.conn()
        .Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", {*t.revoked_at, token_id})
        .status();
  });
  VT_RETURN_IF_ERROR(w.status());
  token_cache_.Erase(token_id);
  return Written<TokenInfo>{t, w->receipts};
}

}  // namespace vt::app
