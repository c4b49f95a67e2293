// Helpers shared by the works registry's .cc files. Not a public API.
#pragma once

#include <string>

#include "app/rights/works.h"
#include "store/sql.h"

namespace vt::app {

// Columns WorkFromRow reads, in order.
inline constexpr const char* kWorkCols = "id, record, log_index";

// Rebuilds a work from its stored record. Internal error if the record is corrupt.
StatusOr<Work> WorkFromRow(const store::Row& r);

// The work, if it exists and `p` may read it; NotFound otherwise (the same message
// either way).
StatusOr<Work> LoadVisibleWork(store::Conn& c, const Principal& p, const std::string& id);

// Appends one version-1 log entry acting as `p`.
Status LogWorkEntry(WriteContext& ctx, const Principal& p, const std::string& type,
                    const Json& subject, const Json& payload);

}  // namespace vt::app
