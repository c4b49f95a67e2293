// Helpers shared by the SQL drivers (sqlite_db.cc, postgres_db.cc, sql.cc).
// Internal to the store module: domain code uses store/sql.h only.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store::internal {

// Checks the parameters both dialects must refuse alike, before any of them reaches a
// driver: TEXT must be valid UTF-8 without NUL bytes (PostgreSQL cannot store NUL in
// TEXT and rejects invalid UTF-8; use Blob for bytes), and doubles must not be NaN
// (SQLite stores NaN as NULL). Returns InvalidArgument naming the parameter.
Status CheckParams(const std::vector<Value>& params);

// The first SQL keyword of `sql`, upper-cased ("SELECT", "ROLLBACK"), skipping
// leading whitespace and comments. Empty if there is none.
std::string FirstKeyword(std::string_view sql);

// True if `name` is a plain SQL identifier: [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes.
bool IsPlainIdentifier(std::string_view name);

}  // namespace vt::store::internal

namespace vt::store::internal {

// PostgreSQL: rewrites `?` placeholders to $1, $2, ... outside string literals
// ('...', E'...'), quoted identifiers, dollar-quoted strings and comments. Returns the
// new text and the number of placeholders. (So jsonb's `?` operators cannot be used
// in parameterized statements: call jsonb_exists() instead.)
std::pair<std::string, int> RewritePlaceholders(std::string_view sql);

// PostgreSQL: "host=H port=P dbname=D user=U" from a libpq connection string or URI,
// without the password or any other option. Unparseable input gives "(invalid
// connection string)".
std::string DescribePostgres(const std::string& conninfo);

// PostgreSQL: InvalidArgument if `conninfo` does not parse (libpq syntax).
Status CheckPostgresConnInfo(const std::string& conninfo);

// PostgreSQL: the same connection string (keyword=value form) whose sessions use
// `schema` (a plain identifier) as search_path, so unqualified names live there.
// InvalidArgument if `conninfo` does not parse.
StatusOr<std::string> PostgresWithSearchPath(const std::string& conninfo,
                                             const std::string& schema);

}  // namespace vt::store::internal
