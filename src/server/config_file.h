// The configuration file of a data directory, DIR/config.toml (TOML; the
// settings are app::Config's, docs/operations.md).
#pragma once

#include <string>

#include "app/core/config.h"
#include "base/status.h"

namespace vt::server {

// Reads DIR/config.toml. NotFound if the directory was never initialized; a clear
// InvalidArgument naming the key for a bad setting. Unknown keys are refused.
// `public_url` is "" when the file sets none: the composition root then derives
// it from where `vtrust serve` listens (root.h, OpenComponents).
StatusOr<app::Config> LoadConfig(const std::string& data_dir);

// Writes `config` to config.data_dir/config.toml atomically (temp file, fsync,
// rename).
Status SaveConfig(const app::Config& config);

// The TOML text of `config` (what SaveConfig writes); an empty public_url is left
// out (with a comment saying how it is derived).
std::string ConfigToToml(const app::Config& config);

}  // namespace vt::server
