// README.md's "A five-minute tour" runs as written: its ```sh blocks, in order, in
// one bash (set -eu: any failing command fails the test), against the built binary,
// on a free port (not 8080) and a fresh data directory given through the PORT and VT
// variables the README documents. The blocks run in a scratch directory whose
// ./build/vtrust is this build's binary (the README's `make build` has happened).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/harness.h"

namespace vt::testing {
namespace {

constexpr const char* kTourHeading = "## A five-minute tour";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The ```sh blocks between `heading` and the next "## " heading, concatenated.
std::vector<std::string> ShellBlocks(const std::string& markdown, const std::string& heading) {
  std::vector<std::string> blocks;
  std::istringstream in(markdown);
  std::string line, block;
  bool in_section = false, in_block = false;
  while (std::getline(in, line)) {
    if (!in_block && line.rfind("## ", 0) == 0) {
      if (in_section) break;
      in_section = line == heading;
      continue;
    }
    if (!in_section) continue;
    if (!in_block && line == "```sh") {
      in_block = true;
      block.clear();
    } else if (in_block && line == "```") {
      in_block = false;
      blocks.push_back(block);
    } else if (in_block) {
      block += line + "\n";
    }
  }
  return blocks;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

TEST(ReadmeTour, HasItsBlocks) {
  std::vector<std::string> blocks =
      ShellBlocks(Slurp(std::string(VTRUST_SOURCE_DIR) + "/README.md"), kTourHeading);
  ASSERT_GE(blocks.size(), 3u);
  std::string all;
  for (const auto& b : blocks) all += b;
  // Port-independent: nothing in the tour names a fixed port but the default of $PORT.
  EXPECT_EQ(all.find("127.0.0.1:8080"), std::string::npos) << all;
  EXPECT_NE(all.find("--listen 127.0.0.1:$PORT"), std::string::npos) << all;
}

TEST(ReadmeTour, RunsAsWrittenOnAnotherPort) {
  for (const char* tool : {"jq", "curl", "openssl", "rsvg-convert"}) {
    if (std::system(("command -v " + std::string(tool) + " >/dev/null").c_str()) != 0)
      GTEST_SKIP() << tool << " is not installed (scripts/setup.sh test)";
  }
  std::vector<std::string> blocks =
      ShellBlocks(Slurp(std::string(VTRUST_SOURCE_DIR) + "/README.md"), kTourHeading);
  ASSERT_FALSE(blocks.empty());
  TempDir tmp;
  std::filesystem::create_directory(tmp.Sub("build"));
  std::filesystem::create_symlink(VtrustBinary(), tmp.Sub("build/vtrust"));
  const int port = FreePort();
  ASSERT_GT(port, 0);
  ASSERT_NE(port, 8080);
  // Whatever happens, the server the tour started (and only it) is stopped.
  std::string script =
      "set -eu\n"
      "trap 'exit 143' TERM\n"
      "trap 'if [ -n \"${SERVER_PID:-}\" ]; then kill \"$SERVER_PID\" 2>/dev/null || true; "
      "wait \"$SERVER_PID\" 2>/dev/null || true; fi' EXIT\n";
  for (const std::string& b : blocks) script += b;
  std::ofstream(tmp.Sub("tour.sh")) << script;
  std::string env =
      "env -u VTRUST_SERVER -u VTRUST_TOKEN PORT=" + std::to_string(port) + " VT=" + tmp.Sub("vt");
  std::string cmd =
      "cd " + tmp.path() + " && " + env + " timeout 600 bash -x tour.sh > tour.log 2>&1";
  int st = std::system(cmd.c_str());
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::string log = Slurp(tmp.Sub("tour.log"));
  ASSERT_EQ(code, 0) << "the README tour failed; its trace (bash -x):\n" << log;
  // It ran on that port, and the cards point there.
  std::string cert = Slurp(tmp.Sub("card.pem"));
  EXPECT_NE(cert.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(log.find("card.pem: good"), std::string::npos) << log;
  EXPECT_NE(log.find("serving " + tmp.Sub("vt") + " on http://127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace vt::testing
