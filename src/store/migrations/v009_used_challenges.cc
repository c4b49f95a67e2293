// Version 9: the "I am me" replay set (docs/i-am-me.md, "Single use"). One row
// per challenge id that reached verification, with the client (source address
// key) that used it and the challenge's expiry in Unix milliseconds; rows are
// deleted once expired. Kept in the database so that a restart, or another
// server process on the same PostgreSQL database, does not forget them.
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

constexpr const char* kV9 = R"SQL(
CREATE TABLE used_challenges (
  id          TEXT PRIMARY KEY,
  client      TEXT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX used_challenges_by_client ON used_challenges(client, expires_at);
CREATE INDEX used_challenges_by_expiry ON used_challenges(expires_at);
)SQL";

}  // namespace

store::Migration V009UsedChallenges() { return {9, "\"I am me\": used challenges", kV9, kV9}; }

}  // namespace vt::app::migrations
