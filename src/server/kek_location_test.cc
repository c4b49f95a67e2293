// Where the key-encryption key lives (server/kek_location.h) and how the
// secrets open with each KEK source (app/core/secrets.h).
#include "server/kek_location.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "app/core/secrets.h"
#include "server/config_file.h"

namespace vt::server {
namespace {

namespace fs = std::filesystem;

class KekLocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vt-kek-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    data_ = root_ + "/data";
    fs::create_directories(data_);
    setenv("XDG_CONFIG_HOME", (root_ + "/xdg").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("VT_TEST_KEK");
    fs::remove_all(root_);
  }
  app::Config ConfigWith(const std::string& kek) {
    app::Config c;
    c.data_dir = data_;
    c.kek = kek;
    return c;
  }
  std::string root_, data_;
};

TEST_F(KekLocationTest, InsideOrOutsideTheDataDirectory) {
  EXPECT_TRUE(*KekInsideDataDir(ConfigWith("")));
  EXPECT_TRUE(*KekInsideDataDir(ConfigWith("file:" + data_ + "/k")));
  EXPECT_TRUE(*KekInsideDataDir(ConfigWith("file:" + data_ + "/../data/secrets/x")));
  EXPECT_FALSE(*KekInsideDataDir(ConfigWith("file:" + root_ + "/k")));
  EXPECT_FALSE(*KekInsideDataDir(ConfigWith("file:" + data_ + "-other/k")));  // a sibling
  EXPECT_FALSE(*KekInsideDataDir(ConfigWith("env:VT_TEST_KEK")));
  // A symbolic link from outside into the data directory is inside.
  fs::create_symlink(data_, root_ + "/link");
  EXPECT_TRUE(*KekInsideDataDir(ConfigWith("file:" + root_ + "/link/k")));
  EXPECT_FALSE(KekInsideDataDir(ConfigWith("file:relative/k")).ok());
  EXPECT_FALSE(KekInsideDataDir(ConfigWith("env:")).ok());
}

TEST_F(KekLocationTest, PrepareKekMakesAPrivateFileInTheUserConfigDirectory) {
  auto kek = PrepareKek(data_, "", false, SystemRng::Get());
  ASSERT_TRUE(kek.ok()) << kek.status().ToString();
  ASSERT_EQ(kek->rfind("file:" + root_ + "/xdg/vtrust/data-", 0), 0u) << *kek;
  struct stat st {};
  ASSERT_EQ(stat(kek->substr(5).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((root_ + "/xdg/vtrust").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_FALSE(*KekInsideDataDir(ConfigWith(*kek)));
  EXPECT_EQ(*PrepareKek(data_, "", true, SystemRng::Get()), "");
  EXPECT_FALSE(PrepareKek(data_, "file:" + data_ + "/kek", false, SystemRng::Get()).ok());
  EXPECT_FALSE(PrepareKek(data_, "env:VT_TEST_KEK", false, SystemRng::Get()).ok());  // unset
}

TEST_F(KekLocationTest, SecretsOpenWithEachSourceAndNotWithoutTheKek) {
  std::string hex(64, 'a');
  setenv("VT_TEST_KEK", hex.c_str(), 1);
  auto by_env = app::Secrets::OpenOrCreate(ConfigWith("env:VT_TEST_KEK"), SystemRng::Get());
  ASSERT_TRUE(by_env.ok()) << by_env.status().ToString();
  auto key = by_env->LoadOrCreate("k", crypto::KeyAlg::kEd25519);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  // The same KEK in a file and as a systemd credential opens the same key.
  ASSERT_TRUE(app::WriteFileAtomic(root_ + "/kek", hex + "\n", 0600).ok());
  EXPECT_TRUE(app::Secrets::Open(ConfigWith("file:" + root_ + "/kek"))->Load("k").ok());
  setenv("CREDENTIALS_DIRECTORY", root_.c_str(), 1);
  EXPECT_TRUE(app::Secrets::Open(ConfigWith("credential:kek"))->Load("k").ok());
  unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_EQ(app::Secrets::Open(ConfigWith("credential:kek")).status().code(),
            StatusCode::kFailedPrecondition);
  // Another KEK does not open it; a missing one is NotFound.
  setenv("VT_TEST_KEK", std::string(64, 'b').c_str(), 1);
  EXPECT_EQ(app::Secrets::Open(ConfigWith("env:VT_TEST_KEK"))->Load("k").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(app::Secrets::Open(ConfigWith("file:" + root_ + "/none")).status().code(),
            StatusCode::kNotFound);
  unsetenv("VT_TEST_KEK");
  EXPECT_EQ(app::Secrets::Open(ConfigWith("env:VT_TEST_KEK")).status().code(),
            StatusCode::kNotFound);
}

TEST_F(KekLocationTest, MoveKekOutRecordsTheNewPlace) {
  app::Config c = ConfigWith("");
  c.log_origin = "x/log";
  ASSERT_TRUE(SaveConfig(c).ok());
  auto s = app::Secrets::OpenOrCreate(c, SystemRng::Get());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->LoadOrCreate("k", crypto::KeyAlg::kEd25519).ok());
  EXPECT_FALSE(MoveKekOut(data_, data_ + "/elsewhere", SystemRng::Get()).ok());  // inside
  auto moved = MoveKekOut(data_, root_ + "/moved.kek", SystemRng::Get());
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_FALSE(fs::exists(data_ + "/secrets/kek"));
  auto back = LoadConfig(data_);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->kek, "file:" + root_ + "/moved.kek");
  EXPECT_TRUE(app::Secrets::Open(*back)->Load("k").ok());
  EXPECT_EQ(MoveKekOut(data_, "", SystemRng::Get()).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace vt::server
