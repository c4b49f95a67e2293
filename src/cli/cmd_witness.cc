// `vtrust witness init|add-log|vkey|serve`: a c2sp.org/tlog-witness witness.
// The protocol decision is tlog::Witness; state and keys are in
// service/witness_host.h; this file is the command line and the HTTP endpoint
//   POST /add-checkpoint   (200 cosignature lines, 409 "<size>\n" as
//                           text/x.tlog.size, 400, 403, 404, 422)
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <thread>

#include "cli/context.h"
#include "net/http_server.h"
#include "server/witness_host.h"

namespace vt::cli {
namespace {

constexpr size_t kMaxRequestBytes = 256 * 1024;  // 63 proof lines + a note with 100 signatures

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

Status ServeWitness(const std::string& dir, const std::string& listen, const Clock& clock) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  VT_ASSIGN_OR_RETURN(auto hp, SplitListen(listen));
  VT_ASSIGN_OR_RETURN(auto host, server::OpenWitnessHost(dir, clock));
  net::HttpServerOptions options;
  options.max_body_bytes = kMaxRequestBytes;
  options.read_timeout = std::chrono::seconds(10);
  options.write_timeout = std::chrono::seconds(10);
  net::HttpServer http(options);
  http.Post("/add-checkpoint", [&host](const net::HttpRequest& req) {
    tlog::WitnessResponse r = host->witness->AddCheckpoint(req.body);
    return net::HttpResponse{r.http_status, {{"Content-Type", r.content_type}}, r.body};
  });
  auto bound = http.Bind(hp.first, hp.second);
  if (!bound.ok()) {
    return hp.second == 0 ? UnavailableError("cannot bind " + hp.first)
                          : UnavailableError("cannot listen on " + listen + " (address in use?)");
  }
  const int port = *bound;
  std::cerr << "vtrust witness: " << host->name << " serving " << dir << " on http://" << hp.first
            << ":" << port << std::endl;
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
  std::cerr << "vtrust witness: stopped" << std::endl;
  return served.ok() ? OkStatus() : InternalError("witness HTTP server stopped unexpectedly");
}

Status RequireData(const Context& ctx) {
  if (ctx.data_dir.empty()) return InvalidArgumentError("needs --data WDIR").WithField("data");
  return OkStatus();
}

}  // namespace

void AddWitnessCommands(CLI::App& app, Context& ctx) {
  auto* w = app.add_subcommand("witness", "Run a transparency-log witness (C2SP tlog-witness)");
  w->require_subcommand(1);

  auto* init = w->add_subcommand("init", "Create a witness directory and its cosigning key");
  static std::string name;
  init->add_option("--name", name, "The witness's key name (e.g. witness.example/w1)")->required();
  AddGlobalFlags(*init, ctx);
  init->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_RETURN_IF_ERROR(RequireData(ctx));
      VT_RETURN_IF_ERROR(server::InitWitnessDir(ctx.data_dir, name, ctx.rng));
      VT_ASSIGN_OR_RETURN(auto cosigner, server::LoadCosigner(ctx.data_dir));
      ctx.Print({{"name", name}, {"vkey", cosigner->VerifierKey()}}, [&](const Json&) {
        return "initialized witness " + name + " in " + ctx.data_dir +
               "\ncosignature vkey: " + cosigner->VerifierKey() + "\n";
      });
      return OkStatus();
    });
  });

  auto* add = w->add_subcommand("add-log", "Trust a log (its origin is the vkey's name)");
  static std::string vkey;
  add->add_option("--vkey", vkey, "The log's verifier key (vtrust log vkey)")->required();
  AddGlobalFlags(*add, ctx);
  add->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_RETURN_IF_ERROR(RequireData(ctx));
      VT_ASSIGN_OR_RETURN(std::string origin, server::AddWitnessLog(ctx.data_dir, vkey));
      ctx.Print({{"origin", origin}, {"vkey", vkey}}, [&](const Json&) {
        return "trusting log " + origin + " (restart the witness to apply)\n";
      });
      return OkStatus();
    });
  });

  auto* vk = w->add_subcommand("vkey", "Print the witness's cosignature verifier key");
  AddGlobalFlags(*vk, ctx);
  vk->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_RETURN_IF_ERROR(RequireData(ctx));
      VT_ASSIGN_OR_RETURN(auto cosigner, server::LoadCosigner(ctx.data_dir));
      std::cout << cosigner->VerifierKey() << "\n";
      return OkStatus();
    });
  });

  auto* serve = w->add_subcommand("serve", "Serve POST /add-checkpoint");
  static std::string listen = "127.0.0.1:8090";
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free one)");
  AddGlobalFlags(*serve, ctx);
  serve->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_RETURN_IF_ERROR(RequireData(ctx));
      return ServeWitness(ctx.data_dir, listen, ctx.clock);
    });
  });
}

}  // namespace vt::cli
