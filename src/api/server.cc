#include "api/server.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <sys/resource.h>

#include "api/server_internal.h"
#include "base/clock.h"

namespace vt::api {

WorkerPool::WorkerPool(int threads, size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkerPool::Submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (jobs_.size() >= max_queued_) return false;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return done_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // done_ and drained
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

Server::Impl::Impl(Router& r, const ServerOptions& o)
    : router(r),
      options(o),
      ioc(o.io_threads > 0 ? o.io_threads : std::max(1u, std::thread::hardware_concurrency())),
      acceptor(net::make_strand(ioc)),
      accept_retry(acceptor.get_executor()),
      limiter(o.limits.rate_per_second, o.limits.rate_burst),
      workers(std::make_unique<WorkerPool>(o.threads, o.limits.max_queued_requests)) {}

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
    OnAccept(ec, std::move(s));
  });
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping || !acceptor.is_open()) return;
  if (ec) {
    // Out of descriptors (EMFILE/ENFILE) or a connection reset before accept:
    // wait a little instead of spinning, then accept again.
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](beast::error_code) {
      if (!stopping) Accept();
    });
    return;
  }
  size_t open = connections.fetch_add(1) + 1;
  std::shared_ptr<Session> s;
  {
    std::lock_guard<std::mutex> lock(sessions_mu);
    uint64_t id = next_session++;
    s = std::make_shared<Session>(*this, std::move(socket), id);
    sessions.emplace(id, s);
  }
  if (open > options.limits.max_connections) {
    s->StartRefused();
  } else {
    s->Start();
  }
  Accept();
}

void Server::Impl::StopSessions() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mu);
    for (auto& [id, weak] : sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->OnStop();
}

void Server::Impl::Log(const std::string& remote, std::string_view method, std::string_view path,
                       std::string_view route, int status, double ms, size_t bytes) {
  if (!access) return;
  access->info(
      R"({{"ts":"{}","remote":"{}","method":{},"path":{},"route":"{}","status":{},"ms":{:.3f},"bytes":{}}})",
      FormatRfc3339(std::chrono::system_clock::now()), remote, Json(std::string(method)).dump(),
      Json(std::string(path)).dump(-1, ' ', false, Json::error_handler_t::replace), route, status,
      ms, bytes);
}

namespace {

// Lets the process hold as many connections as its hard descriptor limit allows.
void RaiseDescriptorLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

StatusOr<std::shared_ptr<spdlog::logger>> OpenAccessLog(const ServerOptions& o) {
  if (o.access_log == "off") return std::shared_ptr<spdlog::logger>();
  try {
    auto log = o.access_log == "-" ? spdlog::stderr_logger_mt("access-" + std::to_string(o.port))
                                   : spdlog::basic_logger_mt("access", o.access_log);
    log->set_pattern("%v");
    return log;
  } catch (const spdlog::spdlog_ex& e) {
    return InvalidArgumentError(std::string("access log: ") + e.what());
  }
}

}  // namespace

StatusOr<std::unique_ptr<Server>> Server::Bind(Router& router, const ServerOptions& o) {
  RaiseDescriptorLimit();
  auto s = std::unique_ptr<Server>(new Server());
  s->impl_ = std::make_unique<Impl>(router, o);
  Impl& impl = *s->impl_;
  VT_ASSIGN_OR_RETURN(impl.access, OpenAccessLog(o));
  beast::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) return InvalidArgumentError("cannot listen on '" + o.host + "': not an IP address");
  tcp::endpoint ep(address, static_cast<unsigned short>(o.port));
  std::string where = o.host + ":" + std::to_string(o.port);
  impl.acceptor.open(ep.protocol(), ec);
  // SO_REUSEADDR only lets a restarted server bind while old connections are in
  // TIME_WAIT; without SO_REUSEPORT a second listener on the port still fails.
  if (!ec) impl.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(ep, ec);
  if (ec == net::error::address_in_use)
    return UnavailableError("cannot listen on " + where + ": address in use");
  if (!ec) impl.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return UnavailableError("cannot listen on " + where + ": " + ec.message());
  s->port_ = impl.acceptor.local_endpoint().port();
  return s;
}

Server::~Server() = default;

Status Server::Run() {
  Impl& impl = *impl_;
  impl.Accept();
  int n = impl.options.io_threads > 0 ? impl.options.io_threads
                                      : static_cast<int>(std::thread::hardware_concurrency());
  std::vector<std::thread> io;
  for (int i = 1; i < n; ++i) io.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : io) t.join();
  return OkStatus();
}

void Server::Stop() {
  Impl& impl = *impl_;
  net::post(impl.acceptor.get_executor(), [&impl] {
    if (impl.stopping.exchange(true)) return;
    beast::error_code ec;
    impl.acceptor.close(ec);
    impl.accept_retry.cancel();
    impl.StopSessions();
  });
}

}  // namespace vt::api
