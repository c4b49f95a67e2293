// Bulk-write helpers of the ledger and revenue lines (ledger.h, revenue.h), also
// used by bench/ledger_bench for its raw INSERT anchor so that both use the same
// technique.
//
// SQLite: multi-row INSERT ... VALUES (...),(...) of kBulkRows rows per statement
// (the driver caches the prepared statement per SQL text, so a full chunk is
// prepared once per connection). PostgreSQL: one statement per request, the
// columns sent as array parameters and expanded server-side with unnest(), so a
// batch of 10,000 rows is one round trip and one parse instead of one per chunk.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sql.h"

namespace vt::app {

// Rows per multi-row INSERT on SQLite (10 columns: 5,000 parameters, below
// SQLite's default limit of 32,766).
inline constexpr size_t kBulkRows = 500;

// A PostgreSQL array literal of text elements: {"a","b\"c",NULL}. nullopt is
// NULL; elements are double-quoted with '"' and '\' backslash-escaped. Text must
// be NUL-free (the driver refuses NUL in parameters anyway).
std::string PgTextArray(const std::vector<std::optional<std::string>>& elems);
// A PostgreSQL array literal of bigint elements: {1,-2,3}.
std::string PgIntArray(const std::vector<int64_t>& elems);

// "(?,?,?),(?,?,?)": `n` copies of `one`, comma-separated.
std::string RowPlaceholders(size_t n, const std::string& one);

}  // namespace vt::app
