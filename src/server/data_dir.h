// Permissions of a data directory (docs/operations.md "File permissions"): the
// registry, the log and the keys that sign for them are private to the account
// that runs vtrust.
#pragma once

#include <string>

#include "base/status.h"

namespace vt::server {

// Before serving DIR: FailedPrecondition, with a one-line message saying how to
// fix it, if DIR is group- or world-writable; then TightenDataDirFiles. NotFound
// if DIR does not exist.
Status SecureDataDir(const std::string& data_dir);

// Sets the files of DIR that hold secrets or registry data (config.toml, the
// SQLite database and its -wal, -shm and -journal files) to 0600 where they are
// looser. Files that do not exist are skipped.
Status TightenDataDirFiles(const std::string& data_dir);

// chmod(path, 0600) if `path` is a regular file with any group or other
// permission bit (the access log, the database files); OK if it does not exist
// or is not a regular file (/dev/stderr).
Status TightenFile(const std::string& path);

}  // namespace vt::server
