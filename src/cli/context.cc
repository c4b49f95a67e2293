#include "cli/context.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace vt::cli {

std::string Context::Server() {
  // An explicit --data means local mode, whatever the environment says.
  if (server.empty() && data_dir.empty()) {
    if (const char* s = std::getenv("VTRUST_SERVER")) server = s;
  }
  // "http://host:8080/" names the same server as "http://host:8080": request paths
  // are appended to it, and a doubled slash would make every path unknown.
  while (server.size() > 1 && server.back() == '/' && server.find("://") + 3 < server.size())
    server.pop_back();
  return server;
}

StatusOr<Client*> Context::GetClient() {
  if (client_) return client_.get();
  Server();
  if (token.empty()) {
    if (const char* t = std::getenv("VTRUST_TOKEN")) token = t;
  }
  if (!server.empty()) {
    if (token.empty())
      return InvalidArgumentError("remote mode needs --token (or VTRUST_TOKEN)").WithField("token");
    VT_ASSIGN_OR_RETURN(client_, RemoteClient(server, token));
  } else if (!data_dir.empty()) {
    VT_ASSIGN_OR_RETURN(client_, LocalClient(data_dir, clock, rng));
  } else {
    return InvalidArgumentError(
        "say where vtrust is: --data DIR (local) or --server URL --token T (remote)");
  }
  return client_.get();
}

void Context::Print(const Json& result, const std::function<std::string(const Json&)>& human) {
  if (json) {
    std::cout << result.dump(2) << "\n";
  } else {
    std::cout << human(result);
  }
}

void Context::Fail(const Status& s) {
  std::string msg = s.message();
  if (!s.field().empty() && msg.find(s.field()) == std::string::npos)
    msg += " (field: " + s.field() + ")";
  std::cerr << "vtrust: error: " << msg << "\n";
  exit_code = s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

void Context::Run(const std::function<Status()>& fn) {
  Status s = fn();
  if (!s.ok()) Fail(s);
}

void AddGlobalFlags(CLI::App& cmd, Context& ctx) {
  cmd.add_option("--data", ctx.data_dir, "Data directory (local mode)");
  cmd.add_option("--server", ctx.server, "Server URL (remote mode; env VTRUST_SERVER)");
  cmd.add_option("--token", ctx.token, "API token (remote mode; env VTRUST_TOKEN)");
  cmd.add_flag("--json", ctx.json, "Print one JSON document on stdout");
}

std::string Seg(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace vt::cli
