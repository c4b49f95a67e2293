// `vtrust witness serve --listen 127.0.0.1:0` (or a given address) as a child process for the
// end-to-end suites (header-only: tests/ builds one executable per *_test.cc).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/harness.h"

extern char** environ;

namespace vt::testing {

class WitnessProcess {
 public:
  // Starts the witness on WDIR and waits (bounded) until it printed its port.
  // Null, with the reason in *error, if it exits or stays silent.
  // `command` names another such server: {"tsa", "serve"} (`vtrust tsa serve`
  // prints the same "serving ... on http://HOST:PORT" line).
  static std::unique_ptr<WitnessProcess> Start(const std::string& wdir, std::string* error,
                                               const std::string& listen = "127.0.0.1:0",
                                               const std::vector<std::string>& command = {
                                                   "witness", "serve"}) {
    auto w = std::unique_ptr<WitnessProcess>(new WitnessProcess());
    w->dir_ = std::make_unique<TempDir>();
    w->log_ = w->dir_->Sub("witness.stderr");
    std::vector<std::string> args = {VtrustBinary()};
    args.insert(args.end(), command.begin(), command.end());
    args.insert(args.end(), {"--data", wdir, "--listen", listen});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, w->log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = posix_spawn(&w->pid_, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      *error = "posix_spawn failed";
      return nullptr;
    }
    static const std::regex kServing(R"(serving .* on http://[^ ]*:([0-9]+))");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      std::smatch m;
      std::string log = w->Stderr();
      if (std::regex_search(log, m, kServing)) {
        w->port_ = std::stoi(m[1].str());
        return w;
      }
      int status = 0;
      if (waitpid(w->pid_, &status, WNOHANG) == w->pid_) {
        w->pid_ = -1;
        *error = "vtrust " + command[0] + " serve exited before listening: " + log;
        return nullptr;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        *error = "vtrust " + command[0] + " serve did not print its address: " + log;
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~WitnessProcess() { Kill9(); }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // SIGKILL and reap: a crash.
  void Kill9() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  std::string Stderr() const {
    std::ifstream in(log_);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  WitnessProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_;
  std::unique_ptr<TempDir> dir_;
};

}  // namespace vt::testing
