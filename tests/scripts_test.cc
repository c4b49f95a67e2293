// The project's own scripts, checked as files and through their dry runs: running
// vtrust installs only what running needs (`scripts/setup.sh run`, used by `make
// run`, which builds the vtrust target alone); the test profile (`make test`,
// .ci/run) adds the rest; and no script stops processes by name (they record the
// PIDs they start and stop only those).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string kSource = VTRUST_SOURCE_DIR;

// Runs `cmd` in the source tree; its stdout, and its exit status in *status.
std::string InSource(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(("cd '" + kSource + "' && " + cmd + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

std::set<std::string> Lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

std::set<std::string> Packages(const std::string& profile) {
  int status = -1;
  std::string out = InSource("bash scripts/setup.sh --list " + profile, &status);
  EXPECT_EQ(status, 0) << "scripts/setup.sh --list " << profile;
  return Lines(out);
}

bool AnyStartsWith(const std::set<std::string>& packages, const std::string& prefix) {
  return std::any_of(packages.begin(), packages.end(),
                     [&](const std::string& p) { return p.rfind(prefix, 0) == 0; });
}

TEST(Scripts, RunNeedsOnlyWhatRunningNeeds) {
  std::set<std::string> run = Packages("run"), test = Packages("test");
  ASSERT_FALSE(run.empty());
  for (const char* needed : {"cmake", "ninja-build", "libssl-dev", "libsqlite3-dev", "libpq-dev"})
    EXPECT_TRUE(run.count(needed)) << needed << " is needed to build vtrust";
  for (const char* prefix : {"postgresql", "clang", "nginx", "wrk", "softhsm", "libgtest"})
    EXPECT_FALSE(AnyStartsWith(run, prefix)) << prefix << "* is not needed to run vtrust";
  for (const std::string& p : run) EXPECT_TRUE(test.count(p)) << p << " missing from test";
  for (const char* needed : {"postgresql-15", "libgtest-dev", "softhsm2", "clang-format"})
    EXPECT_TRUE(test.count(needed)) << needed << " is needed by the tests";
  // The default profile is the test profile.
  int status = -1;
  EXPECT_EQ(Lines(InSource("bash scripts/setup.sh --list", &status)), test);
  InSource("bash scripts/setup.sh --list nonsense", &status);
  EXPECT_NE(status, 0);
}

TEST(Scripts, MakeRunBuildsOnlyTheBinaryWithTheRunPackages) {
  int status = -1;
  std::string run = InSource("make -n run BUILD=build-dry DATA=/nonexistent", &status);
  ASSERT_EQ(status, 0) << run;
  EXPECT_NE(run.find("scripts/setup.sh run"), std::string::npos) << run;
  EXPECT_EQ(run.find("scripts/setup.sh test"), std::string::npos) << run;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run, m, std::regex("ninja -C build-dry[^\n]*"))) << run;
  EXPECT_TRUE(std::regex_search(m.str(), std::regex(" vtrust$"))) << m.str();
  EXPECT_EQ(run.find("_test"), std::string::npos) << run;
  EXPECT_EQ(run.find("ctest"), std::string::npos) << run;
  std::string test = InSource("make -n test BUILD=build-dry", &status);
  ASSERT_EQ(status, 0) << test;
  EXPECT_NE(test.find("scripts/setup.sh test"), std::string::npos) << test;
  std::ifstream ci(kSource + "/.ci/run");
  std::stringstream ci_text;
  ci_text << ci.rdbuf();
  EXPECT_NE(ci_text.str().find("make test"), std::string::npos);
}

// Scripts stop what they started, by the PIDs they recorded: never by a process
// name, which would hit other users' processes too.
TEST(Scripts, NoScriptKillsByName) {
  const std::regex by_name(R"((^|[^A-Za-z_-])(pkill|killall|kill\s+%|fuser\s+-k)\b)");
  int checked = 0;
  for (const char* dir : {"scripts", "bench", "fuzz", ".ci", "tests"}) {
    std::filesystem::path root = std::filesystem::path(kSource) / dir;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      std::string ext = e.path().extension().string();
      if (ext != ".sh" && ext != "" && ext != ".mk") continue;
      if (e.path().string().find("node_modules") != std::string::npos) continue;
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        EXPECT_FALSE(std::regex_search(line, by_name))
            << e.path().string() << ":" << n << ": " << line;
      }
      ++checked;
    }
  }
  std::ifstream mk(kSource + "/Makefile");
  std::string line;
  for (int n = 1; std::getline(mk, line); ++n)
    EXPECT_FALSE(std::regex_search(line, by_name)) << "Makefile:" << n << ": " << line;
  EXPECT_GT(checked, 3);
}

}  // namespace
