// Version 4: works and rights (docs/works.md). `record` is the work's canonical
// JSON (titles, digests, identifiers, rights); sha256 is unique: one claim per
// content. log_index is the work.registered entry's index, set after commit.
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

constexpr const char* kV4 = R"SQL(
CREATE TABLE works (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  type        TEXT NOT NULL,
  sha256      TEXT NOT NULL UNIQUE,
  sm3         TEXT,
  record      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  log_index   BIGINT
);
CREATE INDEX works_org ON works(org_id, created_at);
CREATE TABLE work_uses (
  work_id       TEXT NOT NULL REFERENCES works(id),
  used_work_id  TEXT NOT NULL REFERENCES works(id),
  role          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  PRIMARY KEY (work_id, used_work_id)
);
CREATE INDEX work_uses_used ON work_uses(used_work_id);
)SQL";

}  // namespace

store::Migration V004WorksAndRights() {
  return {4, "works and rights", Dialect(kV4, false), Dialect(kV4, true)};
}

}  // namespace vt::app::migrations
