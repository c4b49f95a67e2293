#include "tests/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace vt::testing {
namespace {

using Clock = std::chrono::steady_clock;

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The child environment: ours without VTRUST_SERVER/VTRUST_TOKEN, with
// XDG_CONFIG_HOME = UserConfigHome() (where init puts the KEK), plus `env`.
std::vector<std::string> ChildEnv(const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  vars.erase("VTRUST_SERVER");
  vars.erase("VTRUST_TOKEN");
  vars["XDG_CONFIG_HOME"] = UserConfigHome();
  for (const auto& [k, v] : env) {
    if (v.empty()) {
      vars.erase(k);
    } else {
      vars[k] = v;
    }
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// fork + exec of the vtrust binary with stdin from /dev/null and stdout/stderr on
// the given descriptors. Returns the pid (or -1).
pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            int out_fd, int err_fd) {
  std::vector<std::string> argv_s = {VtrustBinary()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s = ChildEnv(env);
  std::vector<char*> argv = CStrings(argv_s);
  std::vector<char*> envp = CStrings(env_s);
  pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: only async-signal-safe calls from here on.
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

bool WaitPid(pid_t pid, Clock::time_point deadline, int* status) {
  while (true) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return false;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

const std::string& VtrustBinary() {
  static const std::string path = [] {
    std::string env = Env("VTRUST_BINARY");
    return env.empty() ? std::string(VTRUST_BINARY) : env;
  }();
  return path;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

const std::string& UserConfigHome() {
  static TempDir* dir = new TempDir();  // removed by the atexit hook below
  static bool hooked = [] {
    std::atexit([] { delete dir; });
    return true;
  }();
  (void)hooked;
  return dir->path();
}

TempDir::TempDir() {
  std::string base = Env("TMPDIR");
  if (base.empty()) base = "/tmp";
  std::string tmpl = base + "/vtrust-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp(" << tmpl << "): " << strerror(errno);
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (Env("VTRUST_KEEP_TEST_DIRS") == "1") return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Json CliResult::json() const { return Json::parse(out, nullptr, /*allow_exceptions=*/false); }

std::string CliResult::Describe() const {
  return "exit=" + std::to_string(exit_code) + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" +
         err;
}

CliResult RunCli(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, std::chrono::seconds timeout) {
  CliResult r;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    r.err = "pipe failed";
    return r;
  }
  pid_t pid = Spawn(args, env, out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  bool killed = false;
  while (open_fds > 0) {
    int n = poll(fds, 2, 200);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[8192];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
    if (!killed && Clock::now() > deadline && pid > 0) {
      kill(pid, SIGKILL);
      killed = true;
      r.err += "\n[harness: killed after timeout]";
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  if (pid > 0 && WaitPid(pid, Clock::now() + std::chrono::seconds(30), &status)) {
    r.exit_code = DecodeWaitStatus(status);
  } else if (pid > 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  return r;
}

Json HttpReply::json() const { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }

bool HttpReply::IsProblem() const {
  return content_type.rfind("application/problem+json", 0) == 0 && json().is_object();
}

std::string HttpReply::Describe() const {
  if (status == 0) return "transport error: " + error;
  return "HTTP " + std::to_string(status) + " (" + content_type + "): " + body.substr(0, 2000);
}

struct Api::Impl {
  httplib::Client http;
  Impl(const std::string& host, int port) : http(host, port) {
    http.set_connection_timeout(30, 0);
    http.set_read_timeout(60, 0);
    http.set_write_timeout(60, 0);
    http.set_keep_alive(true);
    http.set_tcp_nodelay(true);  // head and body are separate writes: no Nagle delay
  }
};

Api::Api(std::string host, int port, std::string token)
    : host_(std::move(host)),
      port_(port),
      token_(std::move(token)),
      impl_(std::make_unique<Impl>(host_, port_)) {}
Api::~Api() = default;
Api::Api(Api&&) noexcept = default;

Api Api::WithToken(std::string token) const { return Api(host_, port_, std::move(token)); }

HttpReply Api::Get(const std::string& path) { return Send("GET", path, ""); }
HttpReply Api::Post(const std::string& path, const Json& body) {
  return Send("POST", path, body.dump());
}
HttpReply Api::Delete(const std::string& path) { return Send("DELETE", path, ""); }

HttpReply Api::Send(const std::string& method, const std::string& path, const std::string& body,
                    const std::multimap<std::string, std::string>& headers) {
  httplib::Headers h(headers.begin(), headers.end());
  if (!token_.empty() && h.find("Authorization") == h.end())
    h.emplace("Authorization", "Bearer " + token_);
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = h;
  req.body = body;
  if (!body.empty() && !req.has_header("Content-Type"))
    req.set_header("Content-Type", "application/json");
  httplib::Result res = impl_->http.send(req);
  HttpReply out;
  if (!res) {
    out.error = httplib::to_string(res.error());
    return out;
  }
  out.status = res->status;
  out.content_type = res->get_header_value("Content-Type");
  out.body = res->body;
  out.headers.insert(res->headers.begin(), res->headers.end());
  return out;
}

RawHttp::RawHttp(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

RawHttp::~RawHttp() {
  if (fd_ >= 0) close(fd_);
}

bool RawHttp::Write(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

HttpReply RawHttp::ReadResponse(std::chrono::seconds timeout) {
  HttpReply r;
  auto deadline = Clock::now() + timeout;
  auto fill = [&]() -> bool {
    pollfd p{fd_, POLLIN, 0};
    while (Clock::now() < deadline) {
      int n = poll(&p, 1, 100);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      if (n == 0) continue;
      char buf[8192];
      ssize_t got = recv(fd_, buf, sizeof buf, 0);
      if (got <= 0) return false;
      buffer_.append(buf, static_cast<size_t>(got));
      return true;
    }
    return false;
  };
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      r.error = "no complete response head (got " + std::to_string(buffer_.size()) + " bytes)";
      return r;
    }
  }
  std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  std::istringstream lines(head);
  std::string line;
  std::getline(lines, line);
  if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) {
    r.error = "bad status line: " + line;
    return r;
  }
  int status = std::atoi(line.substr(9, 3).c_str());
  size_t length = 0;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers.emplace(key, value);
    if (strcasecmp(key.c_str(), "Content-Length") == 0) length = std::stoul(value);
    if (strcasecmp(key.c_str(), "Content-Type") == 0) r.content_type = value;
  }
  while (buffer_.size() < length) {
    if (!fill()) {
      r.error = "short body";
      return r;
    }
  }
  r.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  r.status = status;
  return r;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& data_dir,
                                                    const std::vector<std::string>& extra_args,
                                                    std::string* error,
                                                    std::chrono::seconds timeout) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  auto s = std::unique_ptr<ServerProcess>(new ServerProcess());
  s->log_dir_ = std::make_unique<TempDir>();
  s->log_path_ = s->log_dir_->Sub("server.stderr");
  int log_fd = open(s->log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  std::vector<std::string> args = {"serve", "--data", data_dir, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  s->pid_ = Spawn(args, {}, null_fd, log_fd);
  close(log_fd);
  close(null_fd);
  if (s->pid_ < 0) {
    *error = "fork failed";
    return nullptr;
  }
  auto deadline = Clock::now() + timeout;
  static const std::regex kServing(R"(vtrust: serving .* on http://[^ ]*:([0-9]+))");
  while (s->port_ == 0) {
    std::smatch m;
    std::string log = s->Stderr();
    if (std::regex_search(log, m, kServing)) {
      s->port_ = std::stoi(m[1].str());
      break;
    }
    int status = 0;
    if (waitpid(s->pid_, &status, WNOHANG) == s->pid_) {
      s->pid_ = -1;
      *error = "vtrust serve exited with status " + std::to_string(DecodeWaitStatus(status)) +
               " before listening; stderr:\n" + log;
      return nullptr;
    }
    if (Clock::now() > deadline) {
      *error = "vtrust serve did not print its address in time; stderr:\n" + log;
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  httplib::Client probe("127.0.0.1", s->port_);
  probe.set_connection_timeout(5, 0);
  probe.set_read_timeout(10, 0);
  while (true) {
    auto res = probe.Get("/healthz");
    if (res && res->status == 200) return s;
    if (Clock::now() > deadline) {
      *error = "/healthz did not answer 200 in time; stderr:\n" + s->Stderr();
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill9();
}

std::string ServerProcess::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void ServerProcess::SignalTerm() {
  if (pid_ > 0) kill(pid_, SIGTERM);
}

int ServerProcess::Wait(std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  int status = 0;
  if (WaitPid(pid_, Clock::now() + timeout, &status)) {
    pid_ = -1;
    return DecodeWaitStatus(status);
  }
  Kill9();
  return -1;
}

void ServerProcess::Kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::string ServerProcess::Stderr() const { return ReadWholeFile(log_path_); }

std::optional<InitInfo> InitDataDir(const std::string& dir, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"init", "--data", dir, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliResult r = RunCli(args);
  Json j = r.json();
  if (r.exit_code != 0 || !j.is_object() || !j.contains("token") || !j.contains("org")) {
    ADD_FAILURE() << "vtrust init failed: " << r.Describe();
    return std::nullopt;
  }
  InitInfo info;
  info.org_id = j["org"].value("id", "");
  info.token = j["token"].get<std::string>();
  if (j.contains("member")) info.member_id = j["member"].value("id", "");
  return info;
}

}  // namespace vt::testing
