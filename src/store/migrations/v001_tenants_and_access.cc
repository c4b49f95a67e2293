// Version 1: tenants and access. Times are RFC 3339 text (sortable, portable).
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

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

}  // namespace

store::Migration V001TenantsAndAccess() {
  return {1, "tenants and access", Dialect(kV1, false), Dialect(kV1, true)};
}

}  // namespace vt::app::migrations
