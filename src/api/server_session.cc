// One HTTP/1.1 connection (RFC 9112): see Session in server_internal.h.
#include <strings.h>
#include <unistd.h>

#include "api/problem.h"
#include "api/server_internal.h"
#include "api/temp_file.h"

namespace vt::api {
namespace {

using std::chrono::steady_clock;

constexpr size_t kReadChunk = 4096;
constexpr size_t kMaxDrain = 1 << 20;
constexpr auto kLinger = std::chrono::seconds(2);

double MillisSince(steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(steady_clock::now() - start).count();
}

// A problem document whose "status" is `status` (which may differ from the
// status code's default mapping, like 415 or 431).
Response Problem(int status, const Status& s) {
  Json p = ProblemFor(s);
  p["status"] = status;
  Response r = Response::Json(status, p);
  r.content_type = kProblemContentType;
  return r;
}

// What Beast's parser refused, for the client (RFC 9112 §6.3 for lengths).
std::string ParseErrorDetail(const beast::error_code& ec) {
  if (ec == http::error::multiple_content_length)
    return "malformed HTTP request: two different Content-Length values (RFC 9112 §6.3)";
  if (ec == http::error::bad_content_length)
    return "malformed HTTP request: an invalid Content-Length (RFC 9112 §6.3)";
  if (ec == http::error::bad_field) return "malformed HTTP request: a malformed header field name";
  if (ec == http::error::bad_value)
    return "malformed HTTP request: a header field value with a control character";
  if (ec == http::error::bad_transfer_encoding)
    return "malformed HTTP request: an invalid Transfer-Encoding";
  return "malformed HTTP request: " + ec.message();
}

bool ExpectsContinue(const http::request_header<>& req) {
  auto it = req.find(http::field::expect);
  return it != req.end() && strncasecmp(it->value().data(), "100-continue", 12) == 0;
}

}  // namespace

Session::Session(Server::Impl& impl, tcp::socket socket, uint64_t id)
    : impl_(impl), id_(id), stream_(std::move(socket)) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  remote_ = ec ? "-" : ep.address().to_string();
  client_ = ClientKey(remote_);
  stream_.socket().set_option(tcp::no_delay(true), ec);
}

Session::~Session() {
  DropFiles();
  impl_.connections.fetch_sub(1);
  std::lock_guard<std::mutex> lock(impl_.sessions_mu);
  impl_.sessions.erase(id_);
}

void Session::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->BeginRequest(); });
}

void Session::StartRefused() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->start_ = steady_clock::now();
    self->log_route_ = "refused";
    self->Refuse(503, UnavailableError("the server has too many open connections; try again"),
                 {{"Retry-After", "1"}});
  });
}

void Session::OnStop() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->state_ == State::kIdle || self->state_ == State::kHead) {
      beast::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    }
  });
}

const http::request_header<>& Session::Head() const {
  return file_parser_ ? file_parser_->get().base() : parser_->get().base();
}

void Session::DropFiles() {
  file_parser_.reset();
  file_res_.reset();
  for (std::string* f : {&body_file_, &res_file_}) {
    if (!f->empty()) unlink(f->c_str());
    f->clear();
  }
}

void Session::BeginRequest() {
  scan_ = HeadScan();
  DropFiles();
  parser_.reset();
  route_ = nullptr;
  method_.clear();
  path_.clear();
  log_route_ = "refused";
  if (buffer_.size() == 0 && buffer_.capacity() > 2 * kReadChunk) buffer_.shrink_to_fit();
  // A new connection's first request is on the header clock from the start;
  // later ones wait for their first byte on the idle clock.
  bool idle = requests_ > 0 && buffer_.size() == 0;
  state_ = idle ? State::kIdle : State::kHead;
  start_ = steady_clock::now();
  stream_.expires_after(idle ? impl_.options.limits.idle_timeout
                             : impl_.options.limits.header_timeout);
  ReadHead();
}

void Session::ReadHead() {
  if (buffer_.size() > 0) {
    auto data = buffer_.data();
    ScanHead({static_cast<const char*>(data.data()), data.size()}, static_cast<char*>(data.data()),
             impl_.options.limits, &scan_);
    if (scan_.end > 0 || scan_.status != 0) return OnHead();
  }
  stream_.async_read_some(
      buffer_.prepare(kReadChunk),
      [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnReadHead(ec, n); });
}

void Session::OnReadHead(beast::error_code ec, size_t n) {
  if (ec) {
    // Timeout, reset or end of stream: a partial head gets a log line (408),
    // an idle connection just ends.
    if (state_ == State::kHead && buffer_.size() > 0 && ec == beast::error::timeout)
      impl_.Log(remote_, "-", "-", "timeout", 408, MillisSince(start_), 0);
    return;
  }
  buffer_.commit(n);
  if (state_ == State::kIdle) {
    state_ = State::kHead;
    start_ = steady_clock::now();
    stream_.expires_after(impl_.options.limits.header_timeout);
  }
  ReadHead();
}

void Session::OnHead() {
  if (scan_.status != 0) {
    Status s = scan_.status == 431   ? ResourceExhaustedError(scan_.detail)
               : scan_.status == 414 ? ResourceExhaustedError(scan_.detail)
                                     : InvalidArgumentError(scan_.detail);
    return Refuse(scan_.status, s);
  }
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(impl_.options.limits.max_header_bytes + 4));
  parser_->body_limit(boost::none);
  parser_->eager(false);
  auto data = buffer_.data();
  beast::error_code ec;
  size_t used = parser_->put(
      net::buffer(static_cast<const char*>(data.data()) + scan_.begin, scan_.end - scan_.begin),
      ec);
  if (!ec && !parser_->is_header_done()) ec = http::error::partial_message;
  if (ec) return Refuse(400, InvalidArgumentError(ParseErrorDetail(ec)));
  buffer_.consume(scan_.begin + used);
  const auto& req = parser_->get();
  method_ = std::string(req.method_string());
  std::string_view target = req.target();
  path_ = DecodeUrl(target.substr(0, target.find('?')), false);
  ++requests_;
  // RFC 9112 §6.1: we do not read chunked bodies (API bodies are small); refuse
  // before reading any of it, as before the Beast front.
  if (req.find(http::field::transfer_encoding) != req.end())
    return Refuse(411, InvalidArgumentError("chunked request bodies are not accepted; send "
                                            "Content-Length")
                           .WithField("body"));
  route_ = impl_.router.Find(method_, path_);
  if (route_) log_route_ = route_->operation_id;
  uint64_t length = parser_->content_length().value_or(0);
  size_t limit = route_ && route_->max_body_bytes > 0 ? route_->max_body_bytes
                                                      : impl_.options.limits.max_body_bytes;
  if (length > limit)
    return Refuse(413, ResourceExhaustedError("request body exceeds the server's limit of " +
                                              std::to_string(limit) + " bytes")
                           .WithField("body"));
  if (route_ && length > 0) {
    auto ct = req.find(http::field::content_type);
    Status s = CheckContentType(
        *route_, ct == req.end() ? std::string_view() : std::string_view(ct->value()));
    if (!s.ok()) return Refuse(415, s);
  }
  if (route_ && route_->rate_limited) {
    if (int wait = impl_.limiter.Take(client_, steady_clock::now()); wait > 0)
      return Refuse(
          429,
          ResourceExhaustedError("too many requests from " + remote_ +
                                 " to this operation; retry after " + std::to_string(wait) + " s"),
          {{"Retry-After", std::to_string(wait)}});
  }
  parser_->body_limit(limit);
  if (parser_->is_done()) return Handle();
  if (route_ && route_->body_to_file) {
    // A large asset: streamed to a file, never held in memory (docs/http.md).
    auto path = NewTempFile("body");
    if (!path.ok()) return Refuse(500, path.status());
    body_file_ = *path;
    file_parser_.emplace(std::move(*parser_));
    beast::error_code fec;
    file_parser_->get().body().open(body_file_.c_str(), beast::file_mode::write, fec);
    if (fec) return Refuse(500, InternalError("cannot store the request body: " + fec.message()));
    file_parser_->body_limit(limit);
  }
  ReadBody();
}

void Session::ReadBody() {
  state_ = State::kBody;
  auto timeout = impl_.options.limits.body_timeout;
  if (file_parser_) {
    // Large bodies: the body timeout plus one second per MiB (at least 1 MiB/s).
    timeout += std::chrono::seconds(file_parser_->content_length().value_or(0) >> 20);
  }
  stream_.expires_after(timeout);
  auto read = [self = shared_from_this()] {
    if (self->file_parser_) {
      http::async_read(self->stream_, self->buffer_, *self->file_parser_,
                       [self](beast::error_code ec, size_t) { self->OnBody(ec); });
      return;
    }
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     [self](beast::error_code ec, size_t) { self->OnBody(ec); });
  };
  if (buffer_.size() == 0 && ExpectsContinue(Head())) {
    // RFC 9110 §10.1.1: the client waits for this before sending the body.
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                            [self = shared_from_this(), read](beast::error_code ec, size_t) {
                              if (!ec) read();
                            });
  }
  read();
}

void Session::OnBody(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return Refuse(
        413, ResourceExhaustedError("request body exceeds the server's limit").WithField("body"));
  if (ec) {
    impl_.Log(remote_, method_, path_, log_route_, 408, MillisSince(start_), 0);
    return;  // timeout or the client went away mid-body
  }
  Handle();
}

void Session::Handle() {
  state_ = State::kHandling;
  stream_.expires_never();
  bool run_inline = route_ == nullptr ||
                    (impl_.options.inline_reads && !route_->mutating() && !route_->body_to_file);
  if (file_parser_) file_parser_->get().body().close();
  auto run = [self = shared_from_this()]() -> Response {
    const auto& req = self->Head();
    std::string_view target = req.target();
    size_t q = target.find('?');
    auto query = q == std::string_view::npos ? std::multimap<std::string, std::string>()
                                             : ParseQuery(target.substr(q + 1));
    auto auth = req.find(http::field::authorization);
    std::string authorization = auth == req.end() ? std::string() : std::string(auth->value());
    static const std::string kNoBody;
    const std::string& body = self->file_parser_ ? kNoBody : self->parser_->get().body();
    return self->impl_.router.Dispatch(self->method_, self->path_, query, body, authorization,
                                       std::nullopt, &self->log_route_, self->client_,
                                       self->body_file_);
  };
  if (run_inline) return Respond(run());
  auto guard = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(
      impl_.ioc.get_executor());
  bool queued = impl_.workers->Submit([self = shared_from_this(), run, guard] {
    Response r = run();
    net::post(self->stream_.get_executor(),
              [self, r = std::move(r), guard]() mutable { self->Respond(std::move(r)); });
  });
  if (!queued)
    Refuse(503, UnavailableError("the server is busy; try again"), {{"Retry-After", "1"}});
}

void Session::Respond(Response r) {
  const auto& req = Head();
  // Control characters in the token, or a NUL in a JSON body, end the
  // connection: the client is broken or probing. Other 4xx answers keep it, since
  // the request's framing was sound.
  bool probing = scan_.suspicious || (route_ && !route_->body_schema.is_null() && !file_parser_ &&
                                      parser_->get().body().find('\0') != std::string::npos);
  bool keep_alive = file_parser_ ? file_parser_->get().keep_alive() : parser_->get().keep_alive();
  bool close = probing || !keep_alive || impl_.stopping ||
               requests_ >= impl_.options.limits.max_requests_per_connection;
  if (!r.body_file.empty()) {
    // A large body from a file (Response::body_file), streamed, then removed.
    res_file_ = r.body_file;
    file_res_.emplace();
    file_res_->version(req.version());
    file_res_->result(static_cast<unsigned>(r.status));
    file_res_->set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) file_res_->insert(k, v);
    beast::error_code fec;
    file_res_->body().open(res_file_.c_str(), beast::file_mode::scan, fec);
    if (fec) {
      file_res_.reset();
      return Respond(ProblemResponse(InternalError("cannot read the response body")));
    }
    file_res_->prepare_payload();
    file_res_->keep_alive(!close);
    impl_.Log(remote_, method_, path_, log_route_, r.status, MillisSince(start_),
              file_res_->body().size());
    return Write(close);
  }
  res_ = {};
  res_.version(req.version());
  res_.result(static_cast<unsigned>(r.status));
  res_.set(http::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res_.insert(k, v);
  size_t bytes = r.body.size();
  if (method_ == "HEAD") {
    res_.content_length(bytes);  // RFC 9110 §9.3.2: the GET's length, no content
  } else {
    res_.body() = std::move(r.body);
    res_.prepare_payload();
  }
  res_.keep_alive(!close);
  impl_.Log(remote_, method_, path_, log_route_, r.status, MillisSince(start_), bytes);
  Write(close);
}

void Session::Refuse(int status, const Status& s,
                     std::vector<std::pair<std::string, std::string>> headers) {
  Response r = Problem(status, s);
  for (auto& h : headers) r.headers.push_back(std::move(h));
  res_ = {};
  res_.version(11);
  res_.result(static_cast<unsigned>(status));
  res_.set(http::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res_.insert(k, v);
  size_t bytes = r.body.size();
  res_.body() = std::move(r.body);
  res_.prepare_payload();
  res_.keep_alive(false);
  impl_.Log(remote_, method_.empty() ? "-" : method_, path_.empty() ? "-" : path_, log_route_,
            status, MillisSince(start_), bytes);
  Write(true);
}

void Session::Write(bool close) {
  state_ = State::kWriting;
  stream_.expires_after(impl_.options.limits.send_timeout);
  if (file_res_) {
    // Large bodies: the send timeout plus one second per MiB.
    stream_.expires_after(impl_.options.limits.send_timeout +
                          std::chrono::seconds(file_res_->body().size() >> 20));
    http::async_write(stream_, *file_res_,
                      [self = shared_from_this(), close](beast::error_code ec, size_t) {
                        self->DropFiles();
                        self->OnWrite(ec, close);
                      });
    return;
  }
  http::async_write(stream_, res_,
                    [self = shared_from_this(), close](beast::error_code ec, size_t) {
                      self->OnWrite(ec, close);
                    });
}

void Session::OnWrite(beast::error_code ec, bool close) {
  if (ec) return;
  if (close || impl_.stopping) return Linger();
  BeginRequest();
}

void Session::Linger() {
  state_ = State::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kLinger);
  buffer_.clear();
  Drain();
}

void Session::Drain() {
  stream_.async_read_some(buffer_.prepare(16384),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->drained_ += n;
                            if (ec || self->drained_ > kMaxDrain) {
                              self->stream_.close();
                              return;
                            }
                            self->Drain();
                          });
}

}  // namespace vt::api
