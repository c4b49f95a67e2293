#include "api/temp_file.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace vt::api {

StatusOr<std::string> NewTempFile(std::string_view prefix) {
  const char* base = getenv("TMPDIR");
  std::string path =
      std::string(base && *base ? base : "/tmp") + "/vtrust-" + std::string(prefix) + "-XXXXXX";
  int fd = mkstemp(path.data());  // mode 0600
  if (fd < 0)
    return InternalError("cannot create a temporary file: " + std::string(strerror(errno)));
  close(fd);
  return path;
}

TempFileGuard::~TempFileGuard() {
  if (!path_.empty()) unlink(path_.c_str());
}

}  // namespace vt::api
