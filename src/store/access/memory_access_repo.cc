#include "store/access/memory_access_repo.h"

#include <algorithm>

namespace vt::store {
namespace {

// The order of the SQL repository's lists: creation time, then id.
template <typename T>
void SortByCreation(std::vector<T>& v) {
  std::sort(v.begin(), v.end(), [](const T& a, const T& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
}

}  // namespace

StatusOr<domain::Org> MemoryAccessRepo::FindOrg(std::string_view id) {
  auto it = orgs_.find(id);
  if (it == orgs_.end()) return NotFoundError("organization " + std::string(id) + " not found");
  return it->second;
}

StatusOr<std::vector<domain::Org>> MemoryAccessRepo::ListOrgs(
    std::optional<std::string_view> only_id) {
  std::vector<domain::Org> out;
  for (const auto& [id, org] : orgs_)
    if (!only_id || id == *only_id) out.push_back(org);
  SortByCreation(out);
  return out;
}

StatusOr<bool> MemoryAccessRepo::HasOperatorOrg() {
  return std::any_of(orgs_.begin(), orgs_.end(),
                     [](const auto& o) { return o.second.kind == domain::OrgKind::kOperator; });
}

StatusOr<MemberRef> MemoryAccessRepo::FindFirstOperatorAdmin() {
  std::vector<domain::Member> admins;
  for (const auto& [id, m] : members_) {
    auto org = orgs_.find(m.org_id);
    if (org != orgs_.end() && org->second.kind == domain::OrgKind::kOperator &&
        m.role == domain::Role::kAdmin && !m.removed_at)
      admins.push_back(m);
  }
  if (admins.empty()) return NotFoundError("no operator admin");
  SortByCreation(admins);
  return MemberRef{admins.front().org_id, admins.front().id};
}

StatusOr<domain::Member> MemoryAccessRepo::FindMember(std::string_view org_id,
                                                      std::string_view id) {
  auto it = members_.find(id);
  if (it == members_.end() || it->second.org_id != org_id)
    return NotFoundError("member " + std::string(id) + " not found in organization " +
                         std::string(org_id));
  return it->second;
}

StatusOr<std::vector<domain::Member>> MemoryAccessRepo::ListMembers(std::string_view org_id) {
  std::vector<domain::Member> out;
  for (const auto& [id, m] : members_)
    if (m.org_id == org_id) out.push_back(m);
  SortByCreation(out);
  return out;
}

StatusOr<TokenCredential> MemoryAccessRepo::FindTokenCredential(std::string_view token_id) {
  auto t = tokens_.find(token_id);
  if (t == tokens_.end()) return NotFoundError("no such token");
  const domain::TokenInfo& info = t->second.info;
  auto m = members_.find(info.member_id);
  auto o = orgs_.find(info.org_id);
  if (m == members_.end() || o == orgs_.end()) return NotFoundError("no such token");
  return TokenCredential{
      t->second.secret_hash, info.org_id,    info.member_id,       info.role,     info.expires_at,
      info.revoked_at,       m->second.role, m->second.removed_at, o->second.kind};
}

StatusOr<domain::TokenInfo> MemoryAccessRepo::FindToken(std::string_view org_id,
                                                        std::string_view token_id) {
  auto it = tokens_.find(token_id);
  if (it == tokens_.end() || it->second.info.org_id != org_id)
    return NotFoundError("token " + std::string(token_id) + " not found in organization " +
                         std::string(org_id));
  return it->second.info;
}

StatusOr<std::vector<domain::TokenInfo>> MemoryAccessRepo::ListTokens(std::string_view org_id) {
  std::vector<domain::TokenInfo> out;
  for (const auto& [id, t] : tokens_)
    if (t.info.org_id == org_id) out.push_back(t.info);
  SortByCreation(out);
  return out;
}

Status MemoryAccessRepo::InsertOrg(const domain::Org& org) {
  for (const auto& [id, o] : orgs_)
    if (id == org.id || o.name == org.name) return AlreadyExistsError("organization exists");
  orgs_[org.id] = org;
  return OkStatus();
}

Status MemoryAccessRepo::InsertMember(const domain::Member& m) {
  if (!orgs_.contains(m.org_id)) return InternalError("foreign key: no organization " + m.org_id);
  for (const auto& [id, other] : members_)
    if (id == m.id || (other.org_id == m.org_id && other.name == m.name))
      return AlreadyExistsError("member exists");
  domain::Member stored = m;
  stored.removed_at.reset();
  members_[m.id] = std::move(stored);
  return OkStatus();
}

Status MemoryAccessRepo::SetMemberRemoved(std::string_view member_id, std::string_view removed_at) {
  if (auto it = members_.find(member_id); it != members_.end())
    it->second.removed_at = std::string(removed_at);
  return OkStatus();
}

Status MemoryAccessRepo::RevokeMemberTokens(std::string_view member_id,
                                            std::string_view revoked_at) {
  for (auto& [id, t] : tokens_)
    if (t.info.member_id == member_id && !t.info.revoked_at)
      t.info.revoked_at = std::string(revoked_at);
  return OkStatus();
}

Status MemoryAccessRepo::InsertToken(const domain::TokenInfo& t, std::string_view secret_hash) {
  if (tokens_.contains(t.id)) return AlreadyExistsError("token exists");
  if (!members_.contains(t.member_id))
    return InternalError("foreign key: no member " + t.member_id);
  StoredToken stored{t, std::string(secret_hash)};
  stored.info.revoked_at.reset();
  tokens_[t.id] = std::move(stored);
  return OkStatus();
}

Status MemoryAccessRepo::SetTokenRevoked(std::string_view token_id, std::string_view revoked_at) {
  if (auto it = tokens_.find(token_id); it != tokens_.end())
    it->second.info.revoked_at = std::string(revoked_at);
  return OkStatus();
}

}  // namespace vt::store
