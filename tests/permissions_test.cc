// File permissions of a data directory (docs/operations.md "File permissions"):
// `vtrust init` leaves DIR 0700 and its files 0600 (an existing 0777 directory
// included), `vtrust serve` creates nothing readable by others (the database's
// WAL, the access log) and refuses a group- or world-writable DIR with one line.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "tests/harness.h"

namespace vt::testing {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Every file and directory under `dir` (and `dir` itself) is private.
void ExpectAllPrivate(const std::string& dir) {
  EXPECT_EQ(ModeOf(dir) & 077, 0u) << dir << " is " << std::oct << ModeOf(dir);
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_symlink()) continue;
    mode_t m = ModeOf(e.path().string());
    EXPECT_EQ(m & 077, 0u) << e.path() << " is " << std::oct << m;
  }
}

TEST(PermissionsTest, InitTightensAnOpenDirectoryAndServeCreatesPrivateFiles) {
  TempDir tmp;
  std::string dir = tmp.Sub("data");
  ASSERT_EQ(mkdir(dir.c_str(), 0777), 0);
  ASSERT_EQ(chmod(dir.c_str(), 0777), 0);  // whatever the umask
  auto init = InitDataDir(dir);
  ASSERT_TRUE(init);
  EXPECT_EQ(ModeOf(dir), 0700u);
  EXPECT_EQ(ModeOf(dir + "/config.toml"), 0600u);
  EXPECT_EQ(ModeOf(dir + "/vtrust.db"), 0600u);
  ExpectAllPrivate(dir);

  std::string access_log = tmp.Sub("access.log");
  std::string error;
  auto srv = ServerProcess::Start(dir, {"--access-log", access_log}, &error);
  ASSERT_TRUE(srv) << error;
  HttpReply r = srv->Client(init->token).Post("/v1/orgs", {{"name", "Studio"}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  ASSERT_TRUE(fs::exists(dir + "/vtrust.db-wal"));
  EXPECT_EQ(ModeOf(dir + "/vtrust.db-wal"), 0600u);
  ASSERT_TRUE(fs::exists(access_log));
  EXPECT_EQ(ModeOf(access_log), 0600u);
  ExpectAllPrivate(dir);
  EXPECT_EQ(srv->Stop(), 0);
}

TEST(PermissionsTest, ServeTightensFilesOfAnOlderDataDirectory) {
  TempDir tmp;
  std::string dir = tmp.Sub("data");
  auto init = InitDataDir(dir);
  ASSERT_TRUE(init);
  // Data directories made by older versions had 0644 files.
  ASSERT_EQ(chmod((dir + "/config.toml").c_str(), 0644), 0);
  ASSERT_EQ(chmod((dir + "/vtrust.db").c_str(), 0644), 0);
  std::string error;
  auto srv = ServerProcess::Start(dir, {}, &error);
  ASSERT_TRUE(srv) << error;
  EXPECT_EQ(ModeOf(dir + "/config.toml"), 0600u);
  EXPECT_EQ(ModeOf(dir + "/vtrust.db"), 0600u);
  EXPECT_EQ(srv->Stop(), 0);
}

TEST(PermissionsTest, ServeRefusesAGroupOrWorldWritableDirectory) {
  TempDir tmp;
  std::string dir = tmp.Sub("data");
  ASSERT_TRUE(InitDataDir(dir));
  for (mode_t mode : {0777, 0770, 0702}) {
    SCOPED_TRACE(std::to_string(mode));
    ASSERT_EQ(chmod(dir.c_str(), mode), 0);
    CliResult r =
        RunCli({"serve", "--data", dir, "--listen", "127.0.0.1:0"}, {}, std::chrono::seconds(30));
    EXPECT_NE(r.exit_code, 0) << r.Describe();
    EXPECT_NE(r.err.find("group- or world-writable"), std::string::npos) << r.Describe();
    EXPECT_NE(r.err.find("chmod 700 " + dir), std::string::npos) << r.Describe();
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  }
  // Readable by the group is served (the files in it are private).
  ASSERT_EQ(chmod(dir.c_str(), 0750), 0);
  std::string error;
  auto srv = ServerProcess::Start(dir, {}, &error);
  ASSERT_TRUE(srv) << error;
  EXPECT_EQ(srv->Stop(), 0);
}

}  // namespace
}  // namespace vt::testing
