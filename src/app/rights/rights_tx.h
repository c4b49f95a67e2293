// What a rights use case needs of its write transaction: the repository, the
// clock and a place for its transparency-log entries. No connection, so unit
// tests run use cases over store::MemoryRightsRepo; the registries run them
// through RunRightsTx over the SQL repository.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/core/committer.h"
#include "app/core/domain_names.h"
#include "store/rights/rights_repo.h"

namespace vt::app {

using store::DocumentKind;
using store::DocumentStatus;
using store::VersionStatus;

class RightsTx {
 public:
  // `repo` and `clock` must outlive the transaction.
  RightsTx(store::RightsWriter& repo, const Clock& clock) : repo_(repo), clock_(clock) {}

  store::RightsWriter& repo() { return repo_; }
  const Clock& clock() const { return clock_; }
  // Appends one log entry (docs/log-entries.md) of payload version `version` acting
  // as `p`. Fails if the entry is too large.
  Status Log(const Principal& p, const std::string& type, const Json& subject, const Json& payload,
             int version = 1);
  // The entries logged so far, in order.
  std::vector<std::string>& entries() { return entries_; }

 private:
  store::RightsWriter& repo_;
  const Clock& clock_;
  std::vector<std::string> entries_;
};

// Runs `fn` over the SQL repository on `ctx`'s connection and queues the
// entries it logged on `ctx` (whatever `fn` returns, as if it had logged on
// `ctx` directly). Returns what `fn` returns.
Status RunRightsTx(WriteContext& ctx, const std::function<Status(RightsTx&)>& fn);

}  // namespace vt::app
