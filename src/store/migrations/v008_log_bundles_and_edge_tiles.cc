// Version 8: log storage per entry (docs/tlog.md "Storage"). Full entry bundles
// become one row each (log_bundles; log_entries keeps only the incomplete last
// bundle: TransparencyLog::Open moves older full bundles over), partial hash
// tiles move to log_edge_tiles so that log_tiles rows are written once and
// never grow in place. On SQLite log_entries is rebuilt with an INTEGER PRIMARY
// KEY (idx is the rowid: no separate index b-tree).
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

constexpr const char* kV8 = R"SQL(
CREATE TABLE log_bundles (
  idx   %BIGINT_PK% PRIMARY KEY,
  data  %BLOB% NOT NULL
);
CREATE TABLE log_edge_tiles (
  level INTEGER PRIMARY KEY,
  idx   BIGINT NOT NULL,
  data  %BLOB% NOT NULL
);
INSERT INTO log_edge_tiles(level, idx, data)
  SELECT level, idx, data FROM log_tiles WHERE length(data) < 8192;
DELETE FROM log_tiles WHERE length(data) < 8192;
%REBUILD%)SQL";
constexpr const char* kV8SqliteRebuild = R"SQL(CREATE TABLE log_entries_v8 (
  idx   INTEGER PRIMARY KEY,
  data  BLOB NOT NULL
);
INSERT INTO log_entries_v8(idx, data) SELECT idx, data FROM log_entries;
DROP TABLE log_entries;
ALTER TABLE log_entries_v8 RENAME TO log_entries;
)SQL";

std::string V8(bool postgres) {
  std::string sql = kV8;
  sql.replace(sql.find("%BIGINT_PK%"), 11, postgres ? "BIGINT" : "INTEGER");
  sql.replace(sql.find("%REBUILD%"), 9, postgres ? "" : kV8SqliteRebuild);
  for (size_t p; (p = sql.find("%BLOB%")) != std::string::npos;)
    sql.replace(p, 6, postgres ? "BYTEA" : "BLOB");
  return sql;
}

}  // namespace

store::Migration V008LogBundlesAndEdgeTiles() {
  return {8, "log storage: entry bundles, edge tiles", V8(false), V8(true)};
}

}  // namespace vt::app::migrations
