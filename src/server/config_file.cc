#include "server/config_file.h"

#include <unistd.h>

#include <toml++/toml.h>
#include <sstream>

namespace vt::server {

std::string ConfigToToml(const app::Config& config) {
  toml::table t{{"database", config.database},
                {"log_origin", config.log_origin},
                {"max_body_bytes", static_cast<int64_t>(config.max_body_bytes)},
                {"http_threads", config.http_threads}};
  if (!config.public_url.empty()) t.insert("public_url", config.public_url);
  if (!config.pkcs11_module.empty()) t.insert("pkcs11_module", config.pkcs11_module);
  if (!config.kek.empty()) t.insert("kek", config.kek);
  if (config.challenge_quota_per_client > 0)
    t.insert("challenge_quota_per_client", config.challenge_quota_per_client);
  for (auto [key, v] :
       {std::pair{"http_header_timeout_seconds", config.http_header_timeout_seconds},
        {"http_idle_timeout_seconds", config.http_idle_timeout_seconds},
        {"http_max_connections", config.http_max_connections},
        {"http_rate_burst", config.http_rate_burst}})
    if (v > 0) t.insert(key, v);
  if (config.http_rate_per_second >= 0)
    t.insert("http_rate_per_second", config.http_rate_per_second);
  if (!config.witnesses.empty()) {
    toml::array w;
    for (const auto& spec : config.witnesses) w.push_back(spec);
    t.insert("witnesses", std::move(w));
    t.insert("witness_policy", config.witness_policy);
  }
  if (!config.tsa_url.empty()) t.insert("tsa_url", config.tsa_url);
  if (config.content_max_body_bytes != app::Config().content_max_body_bytes)
    t.insert("content_max_body_bytes", static_cast<int64_t>(config.content_max_body_bytes));
  std::ostringstream out;
  out << "# vtrust configuration (see docs/operations.md)\n";
  if (config.public_url.empty())
    out << "# public_url: not set, so derived from `vtrust serve --listen`; set it when the\n"
           "# server is reached at another URL (a proxy, a DNS name), e.g.\n"
           "# public_url = \"http://id.example\"\n";
  out << t << "\n";
  return out.str();
}

StatusOr<app::Config> LoadConfig(const std::string& data_dir) {
  std::string path = data_dir + "/config.toml";
  if (access(path.c_str(), F_OK) != 0)
    return NotFoundError(data_dir +
                         " is not a vtrust data directory (no config.toml); run "
                         "`vtrust init --data " +
                         data_dir + "` first");
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgumentError(path + ": " + std::string(e.description()));
  }
  app::Config c;
  c.data_dir = data_dir;
  c.public_url.clear();  // not configured unless the file says so (root.h, OpenComponents)
  for (auto&& [key, node] : t) {
    std::string k(key.str());
    auto bad = [&](const char* want) {
      return InvalidArgumentError(path + ": '" + k + "' must be " + want).WithField(k);
    };
    if (k == "database") {
      if (!node.is_string()) return bad("a string");
      c.database = **node.as_string();
    } else if (k == "log_origin") {
      if (!node.is_string()) return bad("a string");
      c.log_origin = **node.as_string();
    } else if (k == "public_url") {
      if (!node.is_string()) return bad("a string");
      c.public_url = **node.as_string();
    } else if (k == "pkcs11_module") {
      if (!node.is_string()) return bad("a string");
      c.pkcs11_module = **node.as_string();
    } else if (k == "kek") {
      if (!node.is_string()) return bad("a string (file:/PATH, env:NAME or credential:NAME)");
      c.kek = **node.as_string();
    } else if (k == "challenge_quota_per_client") {
      if (!node.is_integer() || **node.as_integer() < 1 || **node.as_integer() > 1000000)
        return bad("an integer in 1..1000000");
      c.challenge_quota_per_client = static_cast<int>(**node.as_integer());
    } else if (k == "max_body_bytes") {
      if (!node.is_integer() || **node.as_integer() < 1024) return bad("an integer >= 1024");
      c.max_body_bytes = static_cast<uint64_t>(**node.as_integer());
    } else if (k == "http_threads") {
      if (!node.is_integer() || **node.as_integer() < 1 || **node.as_integer() > 1024)
        return bad("an integer in 1..1024");
      c.http_threads = static_cast<int>(**node.as_integer());
    } else if (k == "http_header_timeout_seconds" || k == "http_idle_timeout_seconds" ||
               k == "http_max_connections" || k == "http_rate_burst") {
      if (!node.is_integer() || **node.as_integer() < 1 || **node.as_integer() > 1000000)
        return bad("an integer in 1..1000000");
      int v = static_cast<int>(**node.as_integer());
      (k == "http_header_timeout_seconds" ? c.http_header_timeout_seconds
       : k == "http_idle_timeout_seconds" ? c.http_idle_timeout_seconds
       : k == "http_max_connections"      ? c.http_max_connections
                                          : c.http_rate_burst) = v;
    } else if (k == "http_rate_per_second") {
      auto v = node.value<double>();
      if (!v || *v < 0) return bad("a number >= 0 (0 = no limit)");
      c.http_rate_per_second = *v;
    } else if (k == "witnesses") {
      if (!node.is_array()) return bad("an array of \"<vkey>@<URL>\" strings");
      for (auto&& w : *node.as_array()) {
        if (!w.is_string()) return bad("an array of \"<vkey>@<URL>\" strings");
        c.witnesses.push_back(**w.as_string());
      }
    } else if (k == "witness_policy") {
      if (!node.is_integer() || **node.as_integer() < 0) return bad("an integer >= 0");
      c.witness_policy = static_cast<int>(**node.as_integer());
    } else if (k == "tsa_url") {
      if (!node.is_string() || (node.as_string()->get().rfind("http://", 0) != 0 &&
                                node.as_string()->get().rfind("https://", 0) != 0))
        return bad("an http:// or https:// URL");
      c.tsa_url = **node.as_string();
    } else if (k == "content_max_body_bytes") {
      if (!node.is_integer() || **node.as_integer() < 1024) return bad("an integer >= 1024");
      c.content_max_body_bytes = static_cast<uint64_t>(**node.as_integer());
    } else {
      return InvalidArgumentError(path + ": unknown setting '" + k + "'").WithField(k);
    }
  }
  if (c.witness_policy > static_cast<int>(c.witnesses.size()))
    return InvalidArgumentError(path + ": 'witness_policy' exceeds the number of witnesses")
        .WithField("witness_policy");
  return c;
}

Status SaveConfig(const app::Config& config) {
  // Private: it names the database (a PostgreSQL URL may hold a password) and the
  // key custody (docs/operations.md "File permissions").
  return app::WriteFileAtomic(config.data_dir + "/config.toml", ConfigToToml(config), 0600);
}

}  // namespace vt::server
