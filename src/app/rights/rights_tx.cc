// The rights use cases' transaction (rights_tx.h).
#include "app/rights/rights_tx.h"

namespace vt::app {

Status RightsTx::Log(const Principal& p, const std::string& type, const Json& subject,
                     const Json& payload, int version) {
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry(type, version, clock_, {p.org_id, p.member_id}, subject, payload));
  entries_.push_back(std::move(e));
  return OkStatus();
}

Status RunRightsTx(WriteContext& ctx, const std::function<Status(RightsTx&)>& fn) {
  auto repo = store::NewSqlRightsRepo(ctx.conn());
  RightsTx tx(*repo, ctx.clock());
  Status s = fn(tx);
  for (auto& e : tx.entries()) ctx.AppendLog(std::move(e));
  return s;
}

}  // namespace vt::app
