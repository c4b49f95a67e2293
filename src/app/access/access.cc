// Organizations, members and API tokens: the tenancy and access-control half of
// the Service. Thin adapters: the rules live in access_ops.h, the queries in
// store/access/access_repo.h.
#include <optional>

#include "app/access/access_ops.h"
#include "app/access/service.h"
#include "app/core/domain_names.h"
#include "base/encoding.h"
#include "store/access/access_repo.h"

namespace vt::app {
namespace {

// Queues the entries a use case produced on the write's context.
void QueueAll(WriteContext& ctx, LogEntries& log) {
  for (auto& e : log) ctx.AppendLog(std::move(e));
}

}  // namespace

StatusOr<Principal> Service::Authenticate(std::string_view bearer) {
  std::optional<BearerToken> token = ParseBearerToken(bearer);
  if (!token) return BadTokenError();
  std::string now = FormatRfc3339(clock_.Now());
  std::string presented_hash = TokenSecretHash(token->secret);
  if (auto cached = token_cache_.Get(token->id, presented_hash, now)) return *cached;
  uint64_t generation = token_cache_.generation();
  auto verified = Read<AuthenticatedToken>([&](store::Conn& c) {
    return VerifyToken(*store::NewSqlAccessRepo(c), token->id, presented_hash, now);
  });
  VT_RETURN_IF_ERROR(verified.status());
  token_cache_.Put(token->id, presented_hash, verified->principal, verified->expires_at,
                   generation);
  return verified->principal;
}

StatusOr<Written<Org>> Service::CreateOrg(const Principal& p, const std::string& name,
                                          OrgKind kind) {
  VT_RETURN_IF_ERROR(CheckCreateOrg(p, name, kind));
  Org org{NewId("org", rng_), name, kind, FormatRfc3339(clock_.Now())};
  auto w = Write([&](WriteContext& ctx) -> Status {
    LogEntries log;
    VT_RETURN_IF_ERROR(
        InsertNewOrg(*store::NewSqlAccessRepo(ctx.conn()), p, org, ctx.clock(), log));
    QueueAll(ctx, log);
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(w.status());
  return Written<Org>{org, w->receipts};
}

StatusOr<std::vector<Org>> Service::ListOrgs(const Principal& p) {
  return Read<std::vector<Org>>([&](store::Conn& c) {
    std::optional<std::string_view> only;
    if (!p.is_operator) only = p.org_id;
    return store::NewSqlAccessRepo(c)->ListOrgs(only);
  });
}

StatusOr<Org> Service::GetOrg(const Principal& p, const std::string& org_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  if (std::optional<Org> hit = org_cache_.Get(org_id)) return *std::move(hit);
  auto org = Read<Org>([&](store::Conn& c) { return store::NewSqlAccessRepo(c)->FindOrg(org_id); });
  if (org.ok()) org_cache_.Put(*org);  // immutable once committed (org_cache.h)
  return org;
}

StatusOr<Written<Member>> Service::AddMember(const Principal& p, const std::string& org_id,
                                             const std::string& name, const std::string& email,
                                             Role role) {
  VT_RETURN_IF_ERROR(CheckAddMember(p, org_id, name, email));
  Member m{NewId("mem", rng_), org_id, name, email, role, FormatRfc3339(clock_.Now()), {}};
  auto w = Write([&](WriteContext& ctx) -> Status {
    LogEntries log;
    VT_RETURN_IF_ERROR(
        InsertNewMember(*store::NewSqlAccessRepo(ctx.conn()), p, m, ctx.clock(), log));
    QueueAll(ctx, log);
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(w.status());
  return Written<Member>{m, w->receipts};
}

StatusOr<std::vector<Member>> Service::ListMembers(const Principal& p, const std::string& org_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  return Read<std::vector<Member>>([&](store::Conn& c) -> StatusOr<std::vector<Member>> {
    auto repo = store::NewSqlAccessRepo(c);
    VT_RETURN_IF_ERROR(repo->FindOrg(org_id).status());
    return repo->ListMembers(org_id);
  });
}

StatusOr<Member> Service::GetMember(const Principal& p, const std::string& org_id,
                                    const std::string& member_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  return Read<Member>(
      [&](store::Conn& c) { return store::NewSqlAccessRepo(c)->FindMember(org_id, member_id); });
}

StatusOr<Written<Member>> Service::RemoveMember(const Principal& p, const std::string& org_id,
                                                const std::string& member_id) {
  VT_RETURN_IF_ERROR(CheckRemoveMember(p, org_id, member_id));
  Member m;
  auto w = Write([&](WriteContext& ctx) -> Status {
    LogEntries log;
    VT_ASSIGN_OR_RETURN(m, RemoveMemberNow(*store::NewSqlAccessRepo(ctx.conn()), p, org_id,
                                           member_id, ctx.clock(), log));
    QueueAll(ctx, log);
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(w.status());
  token_cache_.EraseMember(member_id);  // its tokens were revoked in the same write
  return Written<Member>{m, w->receipts};
}

StatusOr<Written<NewToken>> Service::CreateToken(const Principal& p, const std::string& org_id,
                                                 const std::string& member_id,
                                                 const std::string& name, int64_t ttl_seconds) {
  VT_RETURN_IF_ERROR(CheckCreateToken(p, org_id, member_id, name, ttl_seconds));
  NewToken t;
  std::string secret = Base64UrlEncode(
      std::string(reinterpret_cast<const char*>(rng_.Bytes(32).data()), 32));  // 256 random bits
  const std::string secret_hash = TokenSecretHash(secret);
  auto w = Write([&](WriteContext& ctx) -> Status {
    VT_ASSIGN_OR_RETURN(
        t.info, InsertNewToken(*store::NewSqlAccessRepo(ctx.conn()), p, org_id, member_id, name,
                               ttl_seconds, secret_hash, ctx.clock(), rng_));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(w.status());
  t.secret = FormatBearerToken(t.info.id, secret);
  return Written<NewToken>{t, w->receipts};
}

StatusOr<std::vector<TokenInfo>> Service::ListTokens(const Principal& p,
                                                     const std::string& org_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  return Read<std::vector<TokenInfo>>([&](store::Conn& c) -> StatusOr<std::vector<TokenInfo>> {
    auto repo = store::NewSqlAccessRepo(c);
    VT_RETURN_IF_ERROR(repo->FindOrg(org_id).status());
    return repo->ListTokens(org_id);
  });
}

StatusOr<Written<TokenInfo>> Service::RevokeToken(const Principal& p, const std::string& org_id,
                                                  const std::string& token_id) {
  VT_RETURN_IF_ERROR(CheckRead(p, org_id));
  TokenInfo t;
  auto w = Write([&](WriteContext& ctx) -> Status {
    VT_ASSIGN_OR_RETURN(
        t, RevokeTokenNow(*store::NewSqlAccessRepo(ctx.conn()), p, org_id, token_id, ctx.clock()));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(w.status());
  token_cache_.Erase(token_id);
  return Written<TokenInfo>{t, w->receipts};
}

}  // namespace vt::app
