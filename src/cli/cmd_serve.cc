// `vtrust init` and `vtrust serve`.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "api/routes.h"
#include "api/server.h"
#include "app/access/service.h"
#include "cli/ca_setup.h"
#include "cli/context.h"
#include "demo/demo.h"
#include "server/config_file.h"
#include "server/data_dir.h"
#include "server/kek_location.h"
#include "server/root.h"

namespace vt::cli {
namespace {

StatusOr<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    return InvalidArgumentError("--listen must be HOST:PORT").WithField("listen");
  std::string host = listen.substr(0, colon);
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) throw std::invalid_argument("port");
  } catch (const std::exception&) {
    return InvalidArgumentError("--listen port is not a number").WithField("listen");
  }
  if (port < 0 || port > 65535)
    return InvalidArgumentError("--listen port out of range").WithField("listen");
  return std::make_pair(host, port);
}

bool IsWildcard(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

// A free TCP port on `host` right now (bound to port 0, then released), so that the
// URL derived from `--listen HOST:0` is known before the components are built.
StatusOr<int> PickFreePort(const std::string& host) {
  std::string h = host.size() > 1 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  if (getaddrinfo(h.empty() ? nullptr : h.c_str(), "0", &hints, &res) != 0 || res == nullptr)
    return InvalidArgumentError("--listen host " + host + " does not resolve").WithField("listen");
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(res, freeaddrinfo);
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return UnavailableError("cannot open a socket to pick a port");
  int port = -1;
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (bind(fd, res->ai_addr, res->ai_addrlen) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&a)->sin6_port
                                         : reinterpret_cast<sockaddr_in*>(&a)->sin_port);
  close(fd);
  if (port <= 0) return UnavailableError("cannot bind " + host + " to pick a free port");
  return port;
}

// "scheme://host:port" of an http(s) URL, with the scheme's default port made
// explicit, lower-cased; "" if it is not one.
std::string OriginOf(std::string url) {
  for (char& c : url) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  std::string s = url.substr(0, scheme);
  std::string hostport = url.substr(scheme + 3, url.find('/', scheme + 3) - scheme - 3);
  size_t colon = hostport.rfind(':');
  if (colon == std::string::npos || hostport.find(']', colon) != std::string::npos)
    hostport += s == "https" ? ":443" : ":80";
  return s + "://" + hostport;
}

// Says on stderr when the configured public URL (what certificates and QR codes
// point at) is not where this server listens.
void WarnIfPublicUrlElsewhere(const std::string& public_url, const std::string& host, int port) {
  std::string origin = OriginOf(public_url);
  std::string here = "http://" + host + ":" + std::to_string(port);
  const std::string port_suffix = ":" + std::to_string(port);
  bool same = IsWildcard(host) ? origin.rfind("http://", 0) == 0 && origin.ends_with(port_suffix)
                               : origin == OriginOf(here);
  if (same) return;
  std::cerr << "vtrust: warning: public_url " << public_url << " (config.toml) is not this "
            << "server's address " << here << ": certificates' OCSP and CRL URLs and the cards' "
            << "QR codes point there (right only if a proxy serves this server at that URL)"
            << std::endl;
}

// `vtrust serve` flags over config.toml over the built-in defaults.
struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string access_log = "-";
  int threads = 0;
  int io_threads = 0;
  int max_connections = 0;
  int header_timeout = 0;
  int idle_timeout = 0;
  double rate = -1;
  int burst = 0;
  bool insecure_local_kek = false;
  bool demo = false;
};

api::ServerOptions Options(const ServeFlags& f, const app::Config& c) {
  api::ServerOptions o;
  o.threads = f.threads > 0 ? f.threads : c.http_threads;
  o.io_threads = f.io_threads;
  o.access_log = f.access_log;
  api::HttpLimits& l = o.limits;
  l.max_body_bytes = c.max_body_bytes;
  auto pick = [](int flag, int config) { return flag > 0 ? flag : config; };
  if (int v = pick(f.max_connections, c.http_max_connections); v > 0) l.max_connections = v;
  if (int v = pick(f.header_timeout, c.http_header_timeout_seconds); v > 0)
    l.header_timeout = std::chrono::seconds(v);
  if (int v = pick(f.idle_timeout, c.http_idle_timeout_seconds); v > 0)
    l.idle_timeout = std::chrono::seconds(v);
  double rate = f.rate >= 0 ? f.rate : c.http_rate_per_second;
  if (rate >= 0) l.rate_per_second = rate;
  if (int v = pick(f.burst, c.http_rate_burst); v > 0) l.rate_burst = v;
  return o;
}

// What `serve --demo` prints once the server listens: the portal's URL, the console
// token and three things to try (docs/portal.md).
void PrintDemo(const Json& d, const std::string& url) {
  std::cout << "\nvtrust demo " << (d.value("created", false) ? "loaded" : "already loaded")
            << ": Hoshino Lumi and her Starlight Live concert\n"
            << "  portal:         " << url << "/\n"
            << "  console token:  " << d.value("token", "") << "  (operator admin; sign in at "
            << url << "/#/console)\n"
            << "Three things to try:\n"
            << "  1. Her character page, as her card's QR code opens it: " << url << "/verify/"
            << d.value("character", "") << "\n"
            << "     (\"I am me\": choose her holder key " << d.value("holder_key", "") << ")\n"
            << "  2. Verify the signed concert poster: " << url << "/#/verify with "
            << d.value("poster", "") << "\n"
            << "  3. The concert's derivation graph and settlement: " << url << "/#/work/"
            << d["works"].value("concert", "") << "\n"
            << std::endl;
}

Status Serve(const Context& ctx, const std::string& data_dir, const ServeFlags& flags) {
  // Block termination signals in every thread; one thread waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  VT_ASSIGN_OR_RETURN(auto hp, ParseListen(flags.listen));
  // docs/operations.md "File permissions": what the server creates is private, and
  // it does not serve from a directory others may write to.
  umask(077);
  VT_RETURN_IF_ERROR(server::SecureDataDir(data_dir));
  // The KEK must come from outside the data directory (docs/operations.md).
  VT_ASSIGN_OR_RETURN(app::Config config, server::LoadConfig(data_dir));
  VT_ASSIGN_OR_RETURN(bool kek_inside, server::KekInsideDataDir(config));
  if (kek_inside && !flags.insecure_local_kek)
    return FailedPreconditionError(server::InsideKekMessage(config));
  // The public URL, unless config.toml sets one, is where this server listens; so
  // the port must be known now (port 0: pick one).
  if (hp.second == 0) {
    VT_ASSIGN_OR_RETURN(hp.second, PickFreePort(hp.first));
  }
  std::string served =
      "http://" + (IsWildcard(hp.first) ? "127.0.0.1" : hp.first) + ":" + std::to_string(hp.second);
  VT_ASSIGN_OR_RETURN(auto components,
                      server::OpenComponents(data_dir, ctx.clock, ctx.rng, served));
  app::Service* svc = &components->service();
  VT_RETURN_IF_ERROR(svc->StartWitnessing());
  auto router = server::BuildRouter(*components);
  api::ServerOptions o = Options(flags, svc->config());
  o.host = hp.first;
  o.port = hp.second;
  std::optional<Json> demo;
  if (flags.demo) {
    std::cerr << "vtrust: loading the demo (first start only)..." << std::endl;
    VT_ASSIGN_OR_RETURN(demo, demo::LoadDemo(*components));
  }
  VT_ASSIGN_OR_RETURN(auto server, api::Server::Bind(*router, o));
  if (o.access_log != "-" && o.access_log != "off")
    VT_RETURN_IF_ERROR(server::TightenFile(o.access_log));
  std::cerr << "vtrust: serving " << data_dir << " on http://" << o.host << ":" << server->port()
            << std::endl;
  if (svc->config().public_url != served) {
    WarnIfPublicUrlElsewhere(svc->config().public_url, o.host, server->port());
  } else if (IsWildcard(o.host)) {
    std::cerr << "vtrust: warning: --listen " << flags.listen << " binds every address and "
              << "config.toml sets no public_url: certificates and QR codes point at " << served
              << "; set public_url to the address clients use" << std::endl;
  }
  if (demo) PrintDemo(*demo, "http://" + o.host + ":" + std::to_string(server->port()));
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    std::cerr << "vtrust: signal " << sig << ", finishing in-flight requests" << std::endl;
    server->Stop();
  });
  Status s = server->Run();
  if (waiter.joinable()) {
    pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter if Run ended by itself
    waiter.join();
  }
  server.reset();
  router.reset();
  components.reset();  // drains the committer and closes the store
  std::cerr << "vtrust: stopped cleanly" << std::endl;
  return s;
}

}  // namespace

void AddInitServe(CLI::App& app, Context& ctx) {
  auto* init = app.add_subcommand("init",
                                  "Create a data directory, the operator organization "
                                  "and its first admin token");
  static app::Config cfg;
  cfg.public_url.clear();  // unless --public-url: derived from `serve --listen` (root.h)
  init->add_option("--database", cfg.database, "sqlite:PATH (default) or postgresql://...");
  init->add_option("--origin", cfg.log_origin, "Transparency-log origin (default <host>/log)");
  init->add_option("--public-url", cfg.public_url,
                   "Base URL certificates and QR codes point at (default: where `vtrust "
                   "serve --listen` serves)");
  static bool no_ca = false;
  init->add_flag("--no-ca", no_ca,
                 "Do not create the CA now (run `vtrust ca init`, e.g. with --pkcs11-token)");
  static KekFlags kek;
  AddKekFlags(*init, kek);
  AddGlobalFlags(*init, ctx);
  init->callback([&ctx] {
    ctx.Run([&]() -> Status {
      if (ctx.data_dir.empty())
        return InvalidArgumentError("init needs --data DIR").WithField("data");
      umask(077);  // docs/operations.md "File permissions"
      VT_ASSIGN_OR_RETURN(cfg.kek,
                          server::PrepareKek(ctx.data_dir, kek.kek, kek.insecure_local, ctx.rng));
      VT_ASSIGN_OR_RETURN(auto r, server::InitDataDir(ctx.data_dir, cfg, ctx.clock, ctx.rng));
      Json ca;
      if (!no_ca) {
        VT_ASSIGN_OR_RETURN(
            ca, SetUpCa(ctx.data_dir, {.root_export = kek.root_export}, ctx.clock, ctx.rng));
      }
      Json out = {{"org", r.org.ToJson()},
                  {"member", r.admin.ToJson()},
                  {"token", r.token_secret},
                  {"token_id", r.token.id}};
      AddKekReport(out, cfg.kek, ca);
      ctx.Print(out, [&](const Json& j) {
        return "initialized " + ctx.data_dir + "\noperator organization: " + r.org.id +
               "\nadmin token (shown once, keep it safe):\n  " + r.token_secret + "\n" +
               HumanKekReport(j);
      });
      return OkStatus();
    });
  });

  auto* serve = app.add_subcommand("serve", "Run the HTTP API, log tiles, OCSP and the portal");
  static ServeFlags f;
  serve->add_option("--listen", f.listen, "HOST:PORT to listen on (port 0 picks a free one)");
  serve->add_option("--access-log", f.access_log, "Access log: - (stderr), a file, or off");
  serve->add_option("--threads", f.threads,
                    "Worker threads for handlers that write (default from config)");
  serve->add_option("--io-threads", f.io_threads, "I/O threads (default: one per core)");
  serve->add_option("--max-connections", f.max_connections,
                    "Open connections before new ones get 503 (default 20000)");
  serve->add_option("--header-timeout", f.header_timeout,
                    "Seconds a client has to send a request head (default 20)");
  serve->add_option("--idle-timeout", f.idle_timeout,
                    "Seconds an idle keep-alive connection is kept (default 75)");
  serve->add_option("--rate-limit", f.rate,
                    "Requests per second per client address on the public challenge routes "
                    "(default 2; 0 = off)");
  serve->add_option("--rate-burst", f.burst, "Burst of those requests per client (default 20)");
  serve->add_flag("--insecure-local-kek", f.insecure_local_kek,
                  "Start even though the key-encryption key is inside the data directory");
  serve->add_flag("--demo", f.demo,
                  "Load the demo data set (a virtual idol, her concert, agreement, settlement "
                  "and a signed poster) unless it is loaded already; print the portal URL");
  AddGlobalFlags(*serve, ctx);
  serve->callback([&ctx] {
    ctx.Run([&]() -> Status {
      if (ctx.data_dir.empty())
        return InvalidArgumentError("serve needs --data DIR").WithField("data");
      return Serve(ctx, ctx.data_dir, f);
    });
  });
}

}  // namespace vt::cli
