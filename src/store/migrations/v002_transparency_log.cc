// Version 2: the transparency log. Entries are stored once (entry bundles are
// assembled from them); each hash tile is stored once at its widest version (a
// partial tile of width W is the first W hashes of any wider version). log_state
// holds the latest signed checkpoint; the sequencer updates it with a
// compare-and-swap on the size, so two inconsistent checkpoints cannot be signed.
#include "store/migrations/migration_list.h"

namespace vt::app::migrations {
namespace {

constexpr const char* kV2 = R"SQL(
CREATE TABLE log_entries (
  idx   BIGINT PRIMARY KEY,
  data  %BLOB% NOT NULL
);
CREATE TABLE log_tiles (
  level INTEGER NOT NULL,
  idx   BIGINT NOT NULL,
  data  %BLOB% NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE log_state (
  id          INTEGER PRIMARY KEY,
  size        BIGINT NOT NULL,
  root        %BLOB% NOT NULL,
  checkpoint  TEXT NOT NULL
);
)SQL";

}  // namespace

store::Migration V002TransparencyLog() {
  return {2, "transparency log", Dialect(kV2, false), Dialect(kV2, true)};
}

}  // namespace vt::app::migrations
