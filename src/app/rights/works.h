// The works registry (docs/works.md): works and assets with
// titles, content digests, standard identifiers and rights holders, and the
// derivation graph between them (a concert uses a character, a song...).
//
// Every change is one transparency-log entry (work.registered,
// work.derivation_added) committed together with it. docs/works.md describes the
// record, the identifier checks, the graph and the duplicate-claim rule.
//
// Authorization (as for organizations): a work belongs to the organization of the
// member who registered it. Other organizations get NotFound (they learn nothing);
// auditors get PermissionDenied on writes; operator members read everything.
//
// Thread-safe: a WorkRegistry holds no mutable state of its own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "base/rng.h"

namespace vt::app {

// The kinds of work the registry knows.
inline constexpr const char* kWorkTypes[] = {
    "character_design", "model_3d", "voice_model", "song",     "choreography",
    "performance",      "episode",  "concert",     "recording"};
// The right types a work's holders are recorded for.
inline constexpr const char* kRightTypes[] = {"copyright", "likeness", "performance",
                                              "neighbouring"};
inline constexpr int64_t kWholeBp = 10000;  // 100 % in basis points

struct RightShare {
  std::string party;  // an organization id ("org_...") or member id ("mem_...")
  int64_t share_bp = 0;
};

// A registration request. Registry fields are validated and normalized by
// RegisterWork; see docs/works.md.
struct WorkInput {
  std::string type;                                // one of kWorkTypes
  std::map<std::string, std::string> titles;       // language tag -> title, >= 1
  std::string sha256;                              // hex, required
  std::string sm3;                                 // hex, optional
  std::map<std::string, std::string> identifiers;  // isrc, iswc, isni, dci, digital_human_code
  std::map<std::string, std::vector<RightShare>> rights;  // right type -> holders, >= 1 type
};

struct Work {
  std::string id;      // "wrk_..."
  std::string org_id;  // the owning organization
  WorkInput data;      // normalized
  std::string created_at;
  std::string created_by;            // member id
  std::optional<int64_t> log_index;  // index of its work.registered entry
  Json ToJson() const;
};

struct WorkEdge {
  std::string work_id;       // the deriving work (e.g. the concert)
  std::string used_work_id;  // what it uses (e.g. the character)
  std::string role;
  Json ToJson() const;
};

// Nodes and edges around one work, both directions, up to a depth.
struct WorkGraph {
  std::string root;
  int depth = 0;
  std::vector<Json> nodes;  // {id, type, title, org_id}
  std::vector<WorkEdge> edges;
  Json ToJson() const;
};

// Parses the JSON body of a registration ({type, titles, digests: {sha256, sm3},
// identifiers, rights: {type: [{party, share_bp}]}}). InvalidArgument naming the
// offending field on a shape error; semantic checks are RegisterWork's.
StatusOr<WorkInput> WorkInputFromJson(const Json& j);

class WorkRegistry {
 public:
  // `svc` and `rng` must outlive the registry.
  WorkRegistry(Service& svc, Rng& rng) : svc_(svc), rng_(rng) {}

  // Registers a work owned by the caller's organization. InvalidArgument (naming
  // the field) on a bad type, title, digest, identifier, party or share (each right
  // type's shares must be positive and sum to exactly 10000 bp); PermissionDenied
  // for auditors; AlreadyExists if the sha256 is registered already, with details
  // {"existing_work": id, "log_index": n} pointing at the first registration.
  // Nothing is written on failure.
  StatusOr<Written<Work>> Register(const Principal& p, WorkInput in);
  // One work. NotFound if it does not exist or the caller may not read it.
  StatusOr<Work> Get(const Principal& p, const std::string& work_id);
  // Works of the caller's organization (operator: all), oldest first, at most
  // `limit` (1..1000).
  StatusOr<std::vector<Work>> List(const Principal& p, int limit = 100);

  // Records that `work_id` uses `used_work_id` in `role`. Both must be readable by
  // the caller and `work_id` writable. FailedPrecondition if the edge would close
  // a cycle; the message names the cycle ("wrk_a -> wrk_b -> wrk_a").
  // AlreadyExists if the edge exists.
  StatusOr<Written<WorkEdge>> AddUse(const Principal& p, const std::string& work_id,
                                     const std::string& used_work_id, const std::string& role);
  // The graph around `work_id`: works it uses and works using it, transitively,
  // up to `depth` (1..10) hops each way. Works the caller may not read are left out.
  StatusOr<WorkGraph> Graph(const Principal& p, const std::string& work_id, int depth = 3);

 private:
  Service& svc_;
  Rng& rng_;
};

}  // namespace vt::app
