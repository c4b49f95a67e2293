#include "service/schema.h"

namespace vt::service {
namespace {

// Version 1: tenants and access. Times are RFC 3339 text (sortable, portable).
constexpr const char* kV1 = R"SQL(
CREATE TABLE orgs (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE members (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  name        TEXT NOT NULL,
  email       TEXT NOT NULL,
  role        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  removed_at  TEXT
);
CREATE UNIQUE INDEX members_org_name ON members(org_id, name);
CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs(id),
  member_id    TEXT NOT NULL REFERENCES members(id),
  name         TEXT NOT NULL,
  role         TEXT NOT NULL,
  secret_hash  %BLOB% NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_tokens_org ON api_tokens(org_id);
)SQL";

// Version 2: the transparency log. Entries are stored once (entry bundles are
// assembled from them); each hash tile is stored once at its widest version (a
// partial tile of width W is the first W hashes of any wider version). log_state
// holds the latest signed checkpoint; the sequencer updates it with a
// compare-and-swap on the size, so two inconsistent checkpoints cannot be signed.
constexpr const char* kV2 = R"SQL(
CREATE TABLE log_entries (
  idx   BIGINT PRIMARY KEY,
  data  %BLOB% NOT NULL
);
CREATE TABLE log_tiles (
  level INTEGER NOT NULL,
  idx   BIGINT NOT NULL,
  data  %BLOB% NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE log_state (
  id          INTEGER PRIMARY KEY,
  size        BIGINT NOT NULL,
  root        %BLOB% NOT NULL,
  checkpoint  TEXT NOT NULL
);
)SQL";

// Version 4: works and rights (docs/works.md). `record` is the work's canonical
// JSON (titles, digests, identifiers, rights); sha256 is unique: one claim per
// content. log_index is the work.registered entry's index, set after commit.
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

// Version 3: the character registry (docs: issue 4). `record` is the character's
// JSON (names, likeness fingerprints, flags); status is "active" or "retired".
constexpr const char* kV3 = R"SQL(
CREATE TABLE characters (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  status      TEXT NOT NULL,
  record      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX characters_org ON characters(org_id, created_at);
)SQL";

std::string Dialect(std::string sql, bool postgres) {
  const std::string blob = postgres ? "BYTEA" : "BLOB";
  for (size_t p; (p = sql.find("%BLOB%")) != std::string::npos;) sql.replace(p, 6, blob);
  return sql;
}

}  // namespace

const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration> kAll = {
      {1, "tenants and access", Dialect(kV1, false), Dialect(kV1, true)},
      {2, "transparency log", Dialect(kV2, false), Dialect(kV2, true)},
      {3, "characters and certificates", Dialect(kV3, false), Dialect(kV3, true)},
      {4, "works and rights", Dialect(kV4, false), Dialect(kV4, true)},
  };
  return kAll;
}

}  // namespace vt::service
