// The replay set over SQL and in memory (store/identity/challenge_repo.h).
#include "store/identity/challenge_repo.h"

#include <algorithm>

namespace vt::store {
namespace {

class SqlUsedChallengeRepo final : public UsedChallengeWriter {
 public:
  explicit SqlUsedChallengeRepo(Conn& conn) : c_(conn) {}

  StatusOr<ChallengeUse> MarkUsed(std::string_view id, std::string_view client,
                                  int64_t expires_at_ms, int64_t now_ms, int64_t quota) override {
    VT_RETURN_IF_ERROR(
        c_.Exec("DELETE FROM used_challenges WHERE expires_at <= ?", {now_ms}).status());
    VT_ASSIGN_OR_RETURN(auto seen,
                        c_.Query("SELECT 1 FROM used_challenges WHERE id = ?", {std::string(id)}));
    if (!seen.empty()) return ChallengeUse::kReplay;
    VT_ASSIGN_OR_RETURN(auto held,
                        c_.QueryOne("SELECT COUNT(*) FROM used_challenges WHERE client = ?",
                                    {std::string(client)}));
    if (held.Int(0) >= quota) return ChallengeUse::kClientQuota;
    VT_RETURN_IF_ERROR(
        c_.Exec("INSERT INTO used_challenges(id, client, expires_at) VALUES (?, ?, ?)",
                {std::string(id), std::string(client), expires_at_ms})
            .status());
    return ChallengeUse::kFresh;
  }

  StatusOr<int64_t> Count() override {
    VT_ASSIGN_OR_RETURN(auto row, c_.QueryOne("SELECT COUNT(*) FROM used_challenges"));
    return row.Int(0);
  }

 private:
  Conn& c_;
};

}  // namespace

std::unique_ptr<UsedChallengeWriter> NewSqlUsedChallengeRepo(Conn& conn) {
  return std::make_unique<SqlUsedChallengeRepo>(conn);
}

StatusOr<ChallengeUse> MemoryUsedChallengeRepo::MarkUsed(std::string_view id,
                                                         std::string_view client,
                                                         int64_t expires_at_ms, int64_t now_ms,
                                                         int64_t quota) {
  std::erase_if(rows_, [&](const auto& kv) { return kv.second.expires_at_ms <= now_ms; });
  if (rows_.find(id) != rows_.end()) return ChallengeUse::kReplay;
  int64_t held = std::count_if(rows_.begin(), rows_.end(),
                               [&](const auto& kv) { return kv.second.client == client; });
  if (held >= quota) return ChallengeUse::kClientQuota;
  rows_.emplace(std::string(id), Used{std::string(client), expires_at_ms});
  return ChallengeUse::kFresh;
}

}  // namespace vt::store
