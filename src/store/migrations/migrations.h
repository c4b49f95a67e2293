// The database schema of vtrust, as versioned migrations in both dialects.
#pragma once

#include <vector>

#include "store/sql.h"

namespace vt::app {

// All migrations, in order. Append only: a released migration never changes.
const std::vector<store::Migration>& Migrations();

}  // namespace vt::app
