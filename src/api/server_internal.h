// Internals of the HTTP server (server.cc, server_session.cc): the worker pool,
// Server::Impl and one connection's Session. Only those files include Beast.
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/http_head.h"
#include "api/rate_limit.h"
#include "api/server.h"

namespace vt::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// A fixed set of threads running submitted jobs in order, with a bounded queue.
class WorkerPool {
 public:
  WorkerPool(int threads, size_t max_queued);
  // Runs the jobs still queued, then joins the threads.
  ~WorkerPool();
  // Queues `job`. False (and `job` dropped) when max_queued jobs are waiting.
  // Thread-safe.
  bool Submit(std::function<void()> job);

 private:
  void Loop();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  bool done_ = false;                       // guarded by mu_
  std::vector<std::thread> threads_;
};

class Session;

struct Server::Impl {
  Impl(Router& r, const ServerOptions& o);

  // Starts one asynchronous accept; each accepted socket becomes a Session.
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  // Called on a session's strand when Stop() was called: see Session::OnStop.
  void StopSessions();
  // One JSON line per answered or refused request.
  void Log(const std::string& remote, std::string_view method, std::string_view path,
           std::string_view route, int status, double ms, size_t bytes);

  Router& router;
  const ServerOptions options;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  RateLimiter limiter;
  std::shared_ptr<spdlog::logger> access;
  std::atomic<size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions;  // guarded by sessions_mu
  uint64_t next_session = 0;                                      // guarded by sessions_mu
  // Declared last: destroyed (and joined) first, while the rest is still alive.
  std::unique_ptr<WorkerPool> workers;
};

// One client connection: reads a request head under the header deadline, checks
// it (framing, limits, route, Content-Type, rate limit), reads the body under the
// body deadline, runs the Router inline or on the worker pool, writes the answer,
// and waits for the next request under the idle deadline. Every step runs on the
// connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& impl, tcp::socket socket, uint64_t id);
  ~Session();
  // Starts reading the first request.
  void Start();
  // Answers 503 (too many connections) and closes.
  void StartRefused();
  // Server stopping: closes the connection unless a request is being answered.
  void OnStop();

 private:
  enum class State { kIdle, kHead, kBody, kHandling, kWriting, kClosing };

  // Resets the per-request state and starts reading the next request's head.
  void BeginRequest();
  void ReadHead();
  void OnReadHead(beast::error_code ec, size_t n);
  void OnHead();
  void ReadBody();
  void OnBody(beast::error_code ec);
  void Handle();
  void Respond(Response r);
  // Answers `status` with a problem document for `s`, then closes.
  void Refuse(int status, const Status& s,
              std::vector<std::pair<std::string, std::string>> headers = {});
  void Write(bool close);
  void OnWrite(beast::error_code ec, bool close);
  // Half-closes, then reads and drops what the client still sends for a moment
  // so that it sees the answer rather than a reset (RFC 9112 §9.6).
  void Linger();
  void Drain();
  // The head of the request being read (from whichever parser holds it).
  const http::request_header<>& Head() const;
  // Removes the request and response body files, if any.
  void DropFiles();

  Server::Impl& impl_;
  const uint64_t id_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_;
  std::string client_;  // ClientKey(remote_): the key of per-client limits
  State state_ = State::kIdle;
  size_t requests_ = 0;
  size_t drained_ = 0;
  HeadScan scan_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // Route::body_to_file: the parser takes over from parser_ after the head,
  // writing the body to body_file_.
  std::optional<http::request_parser<http::file_body>> file_parser_;
  std::string body_file_;
  const Route* route_ = nullptr;
  std::string method_, path_;
  std::chrono::steady_clock::time_point start_;
  http::response<http::string_body> res_;
  std::optional<http::response<http::file_body>> file_res_;  // Response::body_file
  std::string res_file_;
  std::string log_route_;
};

}  // namespace vt::api
