// The "I am me" replay set (docs/i-am-me.md, "Single use"; migration 9): the
// challenge ids that reached verification, per client, until they expire.
// Times are Unix milliseconds.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store {

enum class ChallengeUse {
  kFresh,        // recorded now: the first verification of this id
  kReplay,       // the id was used already (and has not expired)
  kClientQuota,  // the client holds `quota` unexpired ids already; nothing recorded
};

class UsedChallengeWriter {
 public:
  virtual ~UsedChallengeWriter() = default;
  // Deletes the rows that expired at `now_ms` (expires_at <= now_ms), then
  // records `id` as used by `client` until `expires_at_ms`: kReplay if the id is
  // recorded already (whoever used it), kClientQuota if `client` holds `quota`
  // unexpired rows already, kFresh otherwise.
  virtual StatusOr<ChallengeUse> MarkUsed(std::string_view id, std::string_view client,
                                          int64_t expires_at_ms, int64_t now_ms, int64_t quota) = 0;
  // The number of rows (expired ones included until the next MarkUsed).
  virtual StatusOr<int64_t> Count() = 0;
};

// Over a connection inside the committer's transaction (both dialects).
std::unique_ptr<UsedChallengeWriter> NewSqlUsedChallengeRepo(Conn& conn);

// An in-memory fake with the same contract, for unit tests. Not thread-safe.
class MemoryUsedChallengeRepo final : public UsedChallengeWriter {
 public:
  StatusOr<ChallengeUse> MarkUsed(std::string_view id, std::string_view client,
                                  int64_t expires_at_ms, int64_t now_ms, int64_t quota) override;
  StatusOr<int64_t> Count() override { return static_cast<int64_t>(rows_.size()); }

 private:
  struct Used {
    std::string client;
    int64_t expires_at_ms;
  };
  std::map<std::string, Used, std::less<>> rows_;
};

}  // namespace vt::store
