// `vtrust tsa serve|cert`: the operator's RFC 3161 time-stamping authority
// (docs/c2pa.md, "Timestamps"). The protocol is x509::TimeStampAuthority on
// OpenSSL's TS_RESP_CTX; this file is the command line and the HTTP endpoint
//   POST /  and  POST /tsa   application/timestamp-query -> application/timestamp-reply
//                            (400 for another media type; an unparsable query
//                            still gets a TimeStampResp with status rejection)
// `vtrust tsa cert` prints the TSA certificate (PEM) for relying parties.
#include <pthread.h>
#include <signal.h>
#include <strings.h>

#include <iostream>
#include <thread>

#include "app/content/timestamps.h"
#include "cli/context.h"
#include "net/http_server.h"
#include "server/root.h"
#include "x509/cert.h"

namespace vt::cli {
namespace {

// One TimeStampReq is under 200 bytes; anything much larger is not one.
constexpr size_t kMaxRequestBytes = 16 * 1024;

struct TsaFlags {
  std::string listen = "127.0.0.1:8318";
};

StatusOr<std::pair<std::string, int>> SplitListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    return InvalidArgumentError("--listen must be HOST:PORT").WithField("listen");
  int port = -1;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9') return InvalidArgumentError("--listen port is not a number");
    port = (port < 0 ? 0 : port) * 10 + (c - '0');
    if (port > 65535) return InvalidArgumentError("--listen port out of range");
  }
  return std::make_pair(listen.substr(0, colon), port);
}

StatusOr<std::pair<std::unique_ptr<server::Components>, x509::TimeStampAuthority>> OpenTsa(
    const Context& ctx) {
  if (ctx.data_dir.empty()) return InvalidArgumentError("needs --data DIR").WithField("data");
  VT_ASSIGN_OR_RETURN(auto components, server::OpenComponents(ctx.data_dir, ctx.clock, ctx.rng));
  VT_ASSIGN_OR_RETURN(app::Principal p, components->service().LocalPrincipal());
  VT_ASSIGN_OR_RETURN(x509::TimeStampAuthority tsa,
                      app::OpenTimeStampAuthority(components->service(), components->pki(), p));
  return std::make_pair(std::move(components), std::move(tsa));
}

Status Serve(const Context& ctx, const TsaFlags& f) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  VT_ASSIGN_OR_RETURN(auto hp, SplitListen(f.listen));
  VT_ASSIGN_OR_RETURN(auto opened, OpenTsa(ctx));
  const x509::TimeStampAuthority& tsa = opened.second;
  VT_ASSIGN_OR_RETURN(auto info, x509::InspectCertificate(tsa.certificate_der()));
  net::HttpServerOptions options;
  options.max_body_bytes = kMaxRequestBytes;
  options.read_timeout = std::chrono::seconds(10);
  options.write_timeout = std::chrono::seconds(10);
  net::HttpServer http(options);
  auto answer = [&tsa](const net::HttpRequest& req) {
    std::string type;
    for (const auto& [name, value] : req.headers)
      if (strcasecmp(name.c_str(), "Content-Type") == 0) type = value;
    if (type.rfind(app::kTimestampQueryType, 0) != 0) {
      return net::HttpResponse{
          400,
          {{"Content-Type", "text/plain"}},
          std::string("expected Content-Type ") + app::kTimestampQueryType + " (RFC 3161 §3.4)\n"};
    }
    auto reply = tsa.Respond(req.body);
    if (!reply.ok()) {
      return net::HttpResponse{500, {{"Content-Type", "text/plain"}}, reply.status().message()};
    }
    return net::HttpResponse{200, {{"Content-Type", app::kTimestampReplyType}}, *reply};
  };
  http.Post("/", answer);
  http.Post("/tsa", answer);
  auto bound = http.Bind(hp.first, hp.second);
  if (!bound.ok()) return UnavailableError("cannot listen on " + f.listen + " (address in use?)");
  std::cerr << "vtrust tsa: " << info.subject_cn << " (serial " << info.serial_hex << ") serving "
            << ctx.data_dir << " on http://" << hp.first << ":" << *bound << std::endl;
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    http.Stop();
  });
  Status served = http.Serve();
  if (waiter.joinable()) {
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  }
  std::cerr << "vtrust tsa: stopped" << std::endl;
  return served.ok() ? OkStatus() : InternalError("TSA HTTP server stopped unexpectedly");
}

}  // namespace

void AddTsaCommands(CLI::App& app, Context& ctx) {
  static TsaFlags f;
  auto* tsa = app.add_subcommand("tsa", "RFC 3161 time-stamping authority (for content signing)");
  tsa->require_subcommand(1);
  auto* serve = tsa->add_subcommand(
      "serve", "Answer RFC 3161 requests over HTTP (issues the TSA certificate on first use)");
  serve->add_option("--listen", f.listen, "HOST:PORT (port 0: any free port)");
  AddGlobalFlags(*serve, ctx);
  serve->callback([&ctx] { ctx.Run([&] { return Serve(ctx, f); }); });
  auto* cert =
      tsa->add_subcommand("cert", "Print the TSA certificate (PEM), issuing it if there is none");
  AddGlobalFlags(*cert, ctx);
  cert->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(auto opened, OpenTsa(ctx));
      std::cout << x509::CertificateToPem(opened.second.certificate_der());
      return OkStatus();
    });
  });
}

}  // namespace vt::cli
