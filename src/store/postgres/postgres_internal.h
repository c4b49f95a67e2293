// PostgreSQL value plumbing shared by the PostgreSQL driver (postgres_db.cc).
// Internal to the store module.
//
// Parameters go as text, except Blob, sent binary as bytea; int64 is typed int8,
// double float8, text and NULL untyped (the server infers them, as for a literal).
// Results come back as text and are decoded by column type: int2/int4/int8/oid and
// bool -> int64; float4/float8 -> double; numeric -> int64 if integral and in range,
// else double; bytea -> Blob; anything else -> text.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <vector>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store::internal {

// libpq's parameter arrays; `text` keeps the text renderings alive.
struct EncodedParams {
  std::vector<std::string> text;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  std::vector<Oid> types;
};

// Encodes `params` for PQexecParams. The result points into `params`: keep them alive.
// Precondition: CheckParams(params) passed (text is NUL-free).
EncodedParams EncodeParams(const std::vector<Value>& params);

// Decodes every row of a PGRES_TUPLES_OK result. Internal if a value does not parse.
StatusOr<std::vector<Row>> DecodeRows(const PGresult* res);

// Rows changed by INSERT/UPDATE/DELETE/MERGE; 0 for any other command (as in SQLite).
int64_t ChangedRows(PGresult* res);

}  // namespace vt::store::internal
