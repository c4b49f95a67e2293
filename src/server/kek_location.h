// Where a data directory's key-encryption key lives (docs/operations.md,
// "Key-encryption key"): outside the data directory, so that a copy or backup
// of DIR holds no usable private key. `vtrust init` creates it in the user's
// configuration directory and records it in config.toml (`kek`); `vtrust
// serve` refuses a KEK inside DIR unless --insecure-local-kek.
#pragma once

#include <string>

#include "app/core/config.h"
#include "base/rng.h"
#include "base/status.h"

namespace vt::server {

// $XDG_CONFIG_HOME/vtrust, else $HOME/.config/vtrust (not created).
// FailedPrecondition if neither variable is set.
StatusOr<std::string> UserConfigDir();

// The KEK of a data directory about to be initialized, as a Config::kek value:
// `requested` if not empty (a "file:" KEK that does not exist yet is created;
// an environment variable or credential must be set already), else a new
// random KEK in UserConfigDir()/<dir name>-<8 hex>.kek (mode 0600, directory
// 0700). `insecure_local`: "" (DIR/secrets/kek, created with the directory).
// FailedPrecondition if DIR is initialized already (nothing is created).
StatusOr<std::string> PrepareKek(const std::string& data_dir, const std::string& requested,
                                 bool insecure_local, Rng& rng);

// Whether the KEK of `config` lies inside config.data_dir: the local KEK
// DIR/secrets/kek, or a file (or credential file) under DIR once symbolic
// links are resolved. An environment variable never does.
StatusOr<bool> KekInsideDataDir(const app::Config& config);

// The one-line reason `vtrust serve` gives when KekInsideDataDir is true.
std::string InsideKekMessage(const app::Config& config);

// Where `ca init` writes the root key export file by default: next to the KEK
// when that is a file outside DIR (<kek stem>.roots.pem), else
// UserConfigDir()/<dir name>-<8 hex>.roots.pem.
StatusOr<std::string> DefaultRootExportPath(const app::Config& config, Rng& rng);

// Moves the KEK of DIR out of the data directory (`vtrust kek move-out`): to
// `dest` (an absolute path that must not exist; default a new file in
// UserConfigDir()), records `kek = "file:<dest>"` in config.toml, then deletes
// the old file. FailedPrecondition if the KEK is outside already. Returns dest.
StatusOr<std::string> MoveKekOut(const std::string& data_dir, const std::string& dest, Rng& rng);

}  // namespace vt::server
