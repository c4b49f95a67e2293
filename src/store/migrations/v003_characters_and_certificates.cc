// Version 3: the character registry (docs/id-card-profile.md). `record` is the character's
// JSON (names, likeness fingerprints, flags); status is "active" or "retired".
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

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

}  // namespace

store::Migration V003CharactersAndCertificates() {
  return {3, "characters and certificates", Dialect(kV3, false), Dialect(kV3, true)};
}

}  // namespace vt::app::migrations
