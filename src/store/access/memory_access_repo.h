// An in-memory AccessWriter for unit tests (no database). Mirrors the SQL
// repository's constraints that the use cases rely on: unique organization
// names, unique member names per organization, list orders.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "store/access/access_repo.h"

namespace vt::store {

class MemoryAccessRepo final : public AccessWriter {
 public:
  Status Ping() override { return OkStatus(); }
  StatusOr<domain::Org> FindOrg(std::string_view id) override;
  StatusOr<std::vector<domain::Org>> ListOrgs(std::optional<std::string_view> only_id) override;
  StatusOr<bool> HasOperatorOrg() override;
  StatusOr<MemberRef> FindFirstOperatorAdmin() override;
  StatusOr<domain::Member> FindMember(std::string_view org_id, std::string_view id) override;
  StatusOr<std::vector<domain::Member>> ListMembers(std::string_view org_id) override;
  StatusOr<TokenCredential> FindTokenCredential(std::string_view token_id) override;
  StatusOr<domain::TokenInfo> FindToken(std::string_view org_id,
                                        std::string_view token_id) override;
  StatusOr<std::vector<domain::TokenInfo>> ListTokens(std::string_view org_id) override;

  Status InsertOrg(const domain::Org& org) override;
  Status InsertMember(const domain::Member& m) override;
  Status SetMemberRemoved(std::string_view member_id, std::string_view removed_at) override;
  Status RevokeMemberTokens(std::string_view member_id, std::string_view revoked_at) override;
  Status InsertToken(const domain::TokenInfo& t, std::string_view secret_hash) override;
  Status SetTokenRevoked(std::string_view token_id, std::string_view revoked_at) override;

 private:
  struct StoredToken {
    domain::TokenInfo info;
    std::string secret_hash;
  };
  std::map<std::string, domain::Org, std::less<>> orgs_;        // by id
  std::map<std::string, domain::Member, std::less<>> members_;  // by id
  std::map<std::string, StoredToken, std::less<>> tokens_;      // by id
};

}  // namespace vt::store
