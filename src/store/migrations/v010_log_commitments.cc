// Version 10: openings of the commitments in transparency-log entries
// (docs/log-entries.md "Commitments"). One row per committed field: the salt and
// the value stay here, the log holds only "sha256:" hex(SHA-256(salt ‖ JCS(value))).
// Rows are written in the transaction of their entry and never changed.
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

constexpr const char* kV10 = R"SQL(
CREATE TABLE log_openings (
  commitment  TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  party       TEXT NOT NULL,
  entry_type  TEXT NOT NULL,
  field       TEXT NOT NULL,
  salt        TEXT NOT NULL,
  value       TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
)SQL";

}  // namespace

store::Migration V010LogCommitments() {
  return {10, "log entries: openings of committed fields", kV10, kV10};
}

}  // namespace vt::app::migrations
