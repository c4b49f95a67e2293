// Test harness for the end-to-end suites (tests/*_test.cc): they drive the real
// `vtrust` binary as a separate process, over HTTP and through its command line,
// exactly as an operator would.
//
//   TempDir        a fresh directory, removed (recursively) on destruction
//   RunCli         runs `vtrust ARGS...`, capturing stdout, stderr and the exit code
//   ServerProcess  `vtrust serve --listen 127.0.0.1:0`, ready once /healthz says 200
//   Api            a small HTTP client with an optional Bearer token
//   RawHttp        one raw TCP connection, for requests httplib will not send
//
// Every wait is bounded by a generous timeout (a loaded 2-core machine is the norm);
// no test measures time. Nothing here is thread-safe unless said so.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/jcs.h"

namespace vt::testing {

// Path of the vtrust binary under test (the VTRUST_BINARY compile definition).
const std::string& VtrustBinary();

// A fresh directory under $TMPDIR (or /tmp). Removed with its contents on
// destruction unless VTRUST_KEEP_TEST_DIRS=1 (for post-mortems).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CliResult {
  int exit_code = -1;  // the exit status; 128+N if killed by signal N
  std::string out;     // stdout
  std::string err;     // stderr
  // stdout parsed as JSON (null if it is not JSON).
  Json json() const;
  // "exit=N stdout=... stderr=..." for assertion messages.
  std::string Describe() const;
};

// Runs the vtrust binary with `args`. The child's environment is this process's,
// without VTRUST_SERVER and VTRUST_TOKEN, plus `env` (an empty value unsets).
// Standard input is /dev/null. Aborts the run (SIGKILL) after `timeout`.
CliResult RunCli(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {},
                 std::chrono::seconds timeout = std::chrono::seconds(120));

// One HTTP response.
struct HttpReply {
  int status = 0;  // 0: transport error (see `error`)
  std::string content_type;
  std::string body;
  std::string error;
  std::multimap<std::string, std::string> headers;
  // The body parsed as JSON (null if it is not JSON).
  Json json() const;
  bool IsProblem() const;  // Content-Type application/problem+json and a JSON object
  std::string Describe() const;
};

// HTTP client for one server, with an optional Bearer token. Keeps one keep-alive
// connection; use one Api per thread.
class Api {
 public:
  Api(std::string host, int port, std::string token = "");
  ~Api();
  Api(Api&&) noexcept;
  // A copy of this client acting with another token.
  Api WithToken(std::string token) const;
  const std::string& token() const { return token_; }

  HttpReply Get(const std::string& path);
  HttpReply Post(const std::string& path, const Json& body);
  HttpReply Delete(const std::string& path);
  // Any method with a raw body (sent with Content-Type application/json when
  // non-empty) and extra headers.
  HttpReply Send(const std::string& method, const std::string& path, const std::string& body,
                 const std::multimap<std::string, std::string>& headers = {});

 private:
  struct Impl;
  std::string host_;
  int port_;
  std::string token_;
  std::unique_ptr<Impl> impl_;
};

// A raw TCP connection to 127.0.0.1:port for hand-made requests.
class RawHttp {
 public:
  explicit RawHttp(int port);  // connects; ok() tells whether it worked
  ~RawHttp();
  RawHttp(const RawHttp&) = delete;
  RawHttp& operator=(const RawHttp&) = delete;
  bool ok() const { return fd_ >= 0; }
  // Writes all of `bytes`. False on error.
  bool Write(const std::string& bytes);
  // Reads one response (status line, headers, Content-Length body). status 0 on
  // error or timeout.
  HttpReply ReadResponse(std::chrono::seconds timeout = std::chrono::seconds(60));

 private:
  int fd_ = -1;
  std::string buffer_;
};

// `vtrust serve` on a data directory, listening on 127.0.0.1 with a free port.
class ServerProcess {
 public:
  // Starts the server and waits (up to `timeout`) until it printed its address and
  // /healthz answered 200. Returns null (with the reason in *error) on failure.
  static std::unique_ptr<ServerProcess> Start(
      const std::string& data_dir, const std::vector<std::string>& extra_args = {},
      std::string* error = nullptr, std::chrono::seconds timeout = std::chrono::seconds(90));
  // Kills (SIGKILL) the process if it still runs.
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url() const;  // "http://127.0.0.1:PORT"
  Api Client(const std::string& token = "") const { return Api("127.0.0.1", port_, token); }

  // Sends SIGTERM without waiting.
  void SignalTerm();
  // Waits for the process to end (up to `timeout`; then SIGKILL). Returns its exit
  // status (128+N if killed by signal N, -1 if it had to be killed here).
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(90));
  // SIGTERM and Wait().
  int Stop() {
    SignalTerm();
    return Wait();
  }
  // SIGKILL and reap: a crash.
  void Kill9();
  bool running() const { return pid_ > 0; }
  // Everything the server wrote to stderr so far.
  std::string Stderr() const;

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
  std::unique_ptr<TempDir> log_dir_;
};

// The result of `vtrust init --data DIR --json` (fails the current test if init did).
struct InitInfo {
  std::string org_id;  // the operator organization
  std::string member_id;
  std::string token;
};
// Runs init; `extra` is appended (e.g. {"--database", URL}). Returns nullopt and
// records a test failure if init fails.
std::optional<InitInfo> InitDataDir(const std::string& dir,
                                    const std::vector<std::string>& extra = {});

// The XDG_CONFIG_HOME of every vtrust process the harness starts: a temporary
// directory of this test process, outside every data directory, where `vtrust
// init` puts the key-encryption key (vtrust/<dir name>-<hex>.kek) and the root
// key export (…roots.pem). Removed when the test process exits.
const std::string& UserConfigHome();

// Reads an environment variable ("" if unset).
std::string Env(const char* name);

}  // namespace vt::testing
