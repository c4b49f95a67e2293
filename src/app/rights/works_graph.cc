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
StatusOr<std::vector<std::pair<std::string, std::string>>> Neighbours(store::Conn& c,
                                                                      const std::string& id,
                                                                      bool down) {
  const char* sql = down ? "SELECT used_work_id, role FROM work_uses WHERE work_id = ? ORDER BY 1"
                         : "SELECT work_id, role FROM work_uses WHERE used_work_id = ? ORDER BY 1";
  VT_ASSIGN_OR_RETURN(auto rows, c.Query(sql, {id}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

// If `to` is reachable from `from` along "uses" edges, the shortest such path
// (from ... to); else empty. Breadth-first, so the message names a shortest cycle.
StatusOr<std::vector<std::string>> PathBetween(store::Conn& c, const std::string& from,
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
    VT_ASSIGN_OR_RETURN(auto next, Neighbours(c, cur, /*down=*/true));
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

StatusOr<Written<WorkEdge>> WorkRegistry::AddUse(const Principal& p, const std::string& work_id,
                                                 const std::string& used_work_id,
                                                 const std::string& role) {
  if (!IsValidName(role, 64))
    return InvalidArgumentError("role must be 1-64 characters").WithField("role");
  WorkEdge edge{work_id, used_work_id, role};
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    store::Conn& c = ctx.conn();
    VT_ASSIGN_OR_RETURN(Work w, LoadVisibleWork(c, p, work_id));
    if (!p.CanWrite())
      return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                   "' may not change work " + work_id);
    auto used = LoadVisibleWork(c, p, used_work_id);
    if (!used.ok()) return std::move(used).status().WithField("used_work_id");
    VT_ASSIGN_OR_RETURN(auto existing, c.Query("SELECT role FROM work_uses WHERE work_id = ? AND "
                                               "used_work_id = ?",
                                               {work_id, used_work_id}));
    if (!existing.empty())
      return AlreadyExistsError("work " + work_id + " already uses " + used_work_id + " (as " +
                                existing[0].Text(0) + ")")
          .WithField("used_work_id");
    // The new edge work -> used closes a cycle iff work is reachable from used.
    VT_ASSIGN_OR_RETURN(auto back, PathBetween(c, used_work_id, work_id));
    if (!back.empty()) {
      back.insert(back.begin(), work_id);
      return FailedPreconditionError(
                 "the derivation graph must stay acyclic; this use would "
                 "close the cycle " +
                 Join(back))
          .WithField("used_work_id")
          .WithDetails(Json({{"cycle", back}}).dump());
    }
    VT_RETURN_IF_ERROR(
        c.Exec("INSERT INTO work_uses(work_id,used_work_id,role,created_at,"
               "created_by) VALUES(?,?,?,?,?)",
               {work_id, used_work_id, role, FormatRfc3339(ctx.clock().Now()), p.member_id})
            .status());
    return LogWorkEntry(ctx, p, "work.derivation_added", {{"org", w.org_id}, {"work", work_id}},
                        {{"used_work", used_work_id}, {"role", role}});
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<WorkEdge>{edge, res->receipts};
}

StatusOr<WorkGraph> WorkRegistry::Graph(const Principal& p, const std::string& work_id, int depth) {
  if (depth < 1 || depth > 10) return InvalidArgumentError("depth must be 1-10").WithField("depth");
  return svc_.Read<WorkGraph>([&](store::Conn& c) -> StatusOr<WorkGraph> {
    VT_ASSIGN_OR_RETURN(Work root, LoadVisibleWork(c, p, work_id));
    WorkGraph g{work_id, depth, {NodeJson(root)}, {}};
    std::set<std::string> visible{work_id}, hidden;
    std::set<std::pair<std::string, std::string>> seen_edges;
    for (bool down : {true, false}) {
      std::vector<std::string> frontier{work_id};
      for (int d = 0; d < depth && !frontier.empty(); ++d) {
        std::vector<std::string> next;
        for (const auto& id : frontier) {
          VT_ASSIGN_OR_RETURN(auto ns, Neighbours(c, id, down));
          for (const auto& [n, role] : ns) {
            if (hidden.count(n)) continue;
            if (!visible.count(n)) {
              if (visible.size() >= kMaxGraphNodes) continue;
              auto w = LoadVisibleWork(c, p, n);
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
      VT_ASSIGN_OR_RETURN(auto ns, Neighbours(c, id, /*down=*/true));
      for (const auto& [n, role] : ns)
        if (visible.count(n) && seen_edges.emplace(id, n).second) g.edges.push_back({id, n, role});
    }
    return g;
  });
}

}  // namespace vt::app
