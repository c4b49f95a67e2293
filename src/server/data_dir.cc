#include "server/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "server/config_file.h"

namespace vt::server {
namespace {

// The files of a data directory that hold secrets or registry data.
std::vector<std::string> PrivateFiles(const std::string& data_dir) {
  std::vector<std::string> out = {data_dir + "/config.toml"};
  std::string db = data_dir + "/vtrust.db";
  if (auto config = LoadConfig(data_dir); config.ok()) {
    std::string url = config->DatabaseUrl();
    if (url.rfind("sqlite:", 0) != 0) return out;  // PostgreSQL keeps its own files
    db = url.substr(7);
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) out.push_back(db + suffix);
  return out;
}

std::string OctalMode(mode_t m) {
  char buf[8];
  snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

}  // namespace

Status TightenFile(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return OkStatus();
    return InternalError("cannot stat " + path + ": " + strerror(errno));
  }
  if (!S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) return OkStatus();
  if (chmod(path.c_str(), 0600) != 0)
    return InternalError("cannot chmod 600 " + path + ": " + strerror(errno));
  return OkStatus();
}

Status TightenDataDirFiles(const std::string& data_dir) {
  for (const std::string& f : PrivateFiles(data_dir)) VT_RETURN_IF_ERROR(TightenFile(f));
  return OkStatus();
}

Status SecureDataDir(const std::string& data_dir) {
  struct stat st {};
  if (stat(data_dir.c_str(), &st) != 0)
    return NotFoundError("data directory " + data_dir + ": " + strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return FailedPreconditionError("data directory " + data_dir + " is not a directory");
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return FailedPreconditionError("data directory " + data_dir +
                                   " is group- or world-writable (mode " + OctalMode(st.st_mode) +
                                   "); run: chmod 700 " + data_dir);
  return TightenDataDirFiles(data_dir);
}

}  // namespace vt::server
