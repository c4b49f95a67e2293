// The derivation graph between works: edges "work uses used_work", kept acyclic.
#include <deque>
#include <map>
#include <set>

#include "app/core/domain_names.h"
#include "app/rights/works_internal.h"

namespace vt::app {
namespace {

constexpr size_t kMaxGraphNodes = 1000;

// Neighbours of `id`: what it uses (down) or what uses it (up).
StatusOr<std::vector<std::pair<std::string, std::string>>> Neighbours(store::RightsReader& repo,
                                                                      const std::string& id,
                                                                      bool down) {
  VT_ASSIGN_OR_RETURN(auto links, down ? repo.WorksUsedBy(id) : repo.WorksUsing(id));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& l : links) out.emplace_back(std::move(l.work_id), std::move(l.role));
  return out;
}

// If `to` is reachable from `from` along "uses" edges, the shortest such path
// (from ... to); else empty. Breadth-first, so the message names a shortest cycle.
StatusOr<std::vector<std::string>> PathBetween(store::RightsReader& repo, const std::string& from,
                                               const std::string& to) {
  std::map<std::string, std::string> parent{{from, ""}};
  std::deque<std::string> queue{from};
  while (!queue.empty()) {
    std::string cur = queue.front();
    queue.pop_front();
    if (cur == to) {
      std::vector<std::string> path;
      for (std::string n = to; !n.empty(); n = parent[n]) path.insert(path.begin(), n);
      return path;
    }
    VT_ASSIGN_OR_RETURN(auto next, Neighbours(repo, cur, /*down=*/true));
    for (const auto& [n, role] : next)
      if (parent.emplace(n, cur).second) queue.push_back(n);
  }
  return std::vector<std::string>{};
}

std::string Join(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& n : path) out += (out.empty() ? "" : " -> ") + n;
  return out;
}

Json NodeJson(const Work& w) {
  std::string title = w.data.titles.empty() ? "" : w.data.titles.begin()->second;
  return {{"id", w.id}, {"type", w.data.type}, {"title", title}, {"org_id", w.org_id}};
}

}  // namespace

Status AddWorkUse(RightsTx& tx, const Principal& p, const WorkEdge& e) {
  store::RightsWriter& repo = tx.repo();
  VT_ASSIGN_OR_RETURN(Work w, LoadVisibleWork(repo, p, e.work_id));
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not change work " + e.work_id);
  auto used = LoadVisibleWork(repo, p, e.used_work_id);
  if (!used.ok()) return std::move(used).status().WithField("used_work_id");
  VT_ASSIGN_OR_RETURN(auto existing, repo.FindUseRole(e.work_id, e.used_work_id));
  if (existing)
    return AlreadyExistsError("work " + e.work_id + " already uses " + e.used_work_id + " (as " +
                              *existing + ")")
        .WithField("used_work_id");
  // The new edge work -> used closes a cycle iff work is reachable from used.
  VT_ASSIGN_OR_RETURN(auto back, PathBetween(repo, e.used_work_id, e.work_id));
  if (!back.empty()) {
    back.insert(back.begin(), e.work_id);
    return FailedPreconditionError(
               "the derivation graph must stay acyclic; this use would "
               "close the cycle " +
               Join(back))
        .WithField("used_work_id")
        .WithDetails(Json({{"cycle", back}}).dump());
  }
  VT_RETURN_IF_ERROR(repo.InsertWorkUse(
      {e.work_id, e.used_work_id, e.role, FormatRfc3339(tx.clock().Now()), p.member_id}));
  return tx.Log(p, "work.derivation_added", {{"org", w.org_id}, {"work", e.work_id}},
                {{"used_work", e.used_work_id}, {"role", e.role}});
}

StatusOr<Written<WorkEdge>> WorkRegistry::AddUse(const Principal& p, const std::string& work_id,
                                                 const std::string& used_work_id,
                                                 const std::string& role) {
  if (!IsValidName(role, 64))
    return InvalidArgumentError("role must be 1-64 characters").WithField("role");
  WorkEdge edge{work_id, used_work_id, role};
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) { return AddWorkUse(tx, p, edge); });
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<WorkEdge>{edge, res->receipts};
}

StatusOr<WorkGraph> WorkRegistry::Graph(const Principal& p, const std::string& work_id, int depth) {
  if (depth < 1 || depth > 10) return InvalidArgumentError("depth must be 1-10").WithField("depth");
  return svc_.Read<WorkGraph>([&](store::Conn& c) -> StatusOr<WorkGraph> {
    auto sql_repo = store::NewSqlRightsRepo(c);
    store::RightsReader& repo = *sql_repo;
    VT_ASSIGN_OR_RETURN(Work root, LoadVisibleWork(repo, p, work_id));
    WorkGraph g{work_id, depth, {NodeJson(root)}, {}};
    std::set<std::string> visible{work_id}, hidden;
    std::set<std::pair<std::string, std::string>> seen_edges;
    for (bool down : {true, false}) {
      std::vector<std::string> frontier{work_id};
      for (int d = 0; d < depth && !frontier.empty(); ++d) {
        std::vector<std::string> next;
        for (const auto& id : frontier) {
          VT_ASSIGN_OR_RETURN(auto ns, Neighbours(repo, id, down));
          for (const auto& [n, role] : ns) {
            if (hidden.count(n)) continue;
            if (!visible.count(n)) {
              if (visible.size() >= kMaxGraphNodes) continue;
              auto w = LoadVisibleWork(repo, p, n);
              if (!w.ok()) {
                if (w.status().code() != StatusCode::kNotFound) return w.status();
                hidden.insert(n);
                continue;
              }
              visible.insert(n);
              g.nodes.push_back(NodeJson(*w));
              next.push_back(n);
            }
            WorkEdge e = down ? WorkEdge{id, n, role} : WorkEdge{n, id, role};
            if (seen_edges.emplace(e.work_id, e.used_work_id).second) g.edges.push_back(e);
          }
        }
        frontier = std::move(next);
      }
    }
    // Edges between collected nodes that neither walk followed (an ancestor using a
    // descendant directly) complete the picture.
    for (const auto& id : visible) {
      VT_ASSIGN_OR_RETURN(auto ns, Neighbours(repo, id, /*down=*/true));
      for (const auto& [n, role] : ns)
        if (visible.count(n) && seen_edges.emplace(id, n).second) g.edges.push_back({id, n, role});
    }
    return g;
  });
}

}  // namespace vt::app
