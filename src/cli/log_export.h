// `vtrust log export`: the log as static files for an ordinary web server
// (c2sp.org/tlog-tiles; docs/nginx-static-log.conf serves the result).
#pragma once

#include <string>

#include "base/jcs.h"
#include "base/status.h"
#include "cli/log_source.h"

namespace vt::cli {

struct LogExportOptions {
  std::string out_dir;       // created if missing
  bool allow_older = false;  // replace a newer exported checkpoint (--force)
};

// Writes OUT/tile/... (every hash tile and entry bundle of the source's
// current checkpoint, full and partial), OUT/vkey if the source has one, and
// then OUT/checkpoint. Files are written to a temporary name and renamed;
// the file system is synced before the checkpoint is atomically replaced, so
// a reader never sees a checkpoint whose tiles are missing. Existing tile
// files are kept (a tile path's content never changes), so partial tiles of
// earlier exports stay servable for the sizes they were published at.
// Fails with FailedPrecondition if OUT already holds a checkpoint of a larger
// size (unless allow_older), DataLoss if a fetched resource has the wrong
// length or encoding, or the source's errors annotated with the resource.
// Returns {"out", "size", "written", "kept", "bytes"}.
StatusOr<Json> ExportLog(LogFetcher& source, const LogExportOptions& options);

}  // namespace vt::cli
