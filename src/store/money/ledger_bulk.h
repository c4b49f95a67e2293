// Bulk-write helpers of the ledger and revenue lines, shared by the SQL money
// repository and bench/ledger_bench's raw INSERT anchor so that both use the same
// technique.
//
// SQLite: multi-row INSERT of kBulkRows rows per statement (the driver caches the
// prepared statement per SQL text, so a full chunk is prepared once per
// connection). PostgreSQL: one statement per request, the columns sent as array
// parameters and expanded server-side with unnest(), so a batch of 10,000 rows is
// one round trip and one parse instead of one per chunk. Thread-safe: pure
// functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/money/money_repo.h"
#include "store/sql.h"

namespace vt::store {

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

// The nine column arrays of `ms` (id, run_id, seq, kind, debit_account,
// credit_account, amount, currency, reverses: an empty `reverses` is NULL) as
// PostgreSQL array literals, the parameters of an unnest() insert.
std::vector<Value> MovementColumnArrays(const std::vector<LedgerMovement>& ms);

// Appends the ten values of each of ms[at, at + n) for a multi-row insert: the
// nine columns above and `now`.
void AppendMovementRows(const std::vector<LedgerMovement>& ms, size_t at, size_t n,
                        const std::string& now, std::vector<Value>* params);

}  // namespace vt::store
