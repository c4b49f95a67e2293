// Temporary files for request and response bodies that are too large to hold
// in memory (routes with Route::body_to_file, docs/http.md).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace vt::api {

// Creates an empty file, mode 0600, under $TMPDIR (or /tmp) named
// "vtrust-<prefix>-XXXXXX" and returns its path. The caller removes it.
StatusOr<std::string> NewTempFile(std::string_view prefix);

// Removes `path` when destroyed (if not empty); Release() keeps the file.
class TempFileGuard {
 public:
  explicit TempFileGuard(std::string path) : path_(std::move(path)) {}
  ~TempFileGuard();
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;
  const std::string& path() const { return path_; }
  std::string Release() { return std::exchange(path_, std::string()); }

 private:
  std::string path_;
};

}  // namespace vt::api
