#include "app/core/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vt::app {

std::string Config::DatabaseUrl() const {
  if (database.rfind("sqlite:", 0) == 0) {
    std::string path = database.substr(7);
    if (!path.empty() && path[0] != '/') path = data_dir + "/" + path;
    return "sqlite:" + path;
  }
  return database;
}

Status WriteFileAtomic(const std::string& path, const std::string& contents, int mode) {
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return InternalError(tmp + ": " + strerror(errno));
  // O_CREAT's mode does not apply to a leftover temporary file: set it explicitly.
  if (fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    int e = errno;
    close(fd);
    return InternalError(tmp + ": " + strerror(e));
  }
  size_t off = 0;
  while (off < contents.size()) {
    ssize_t n = write(fd, contents.data() + off, contents.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      return InternalError(tmp + ": " + strerror(e));
    }
    off += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) return InternalError(tmp + ": " + strerror(errno));
  if (rename(tmp.c_str(), path.c_str()) != 0) return InternalError(path + ": " + strerror(errno));
  std::string dir =
      path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return OkStatus();
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": " + strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vt::app
