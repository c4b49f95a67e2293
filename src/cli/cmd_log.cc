// `vtrust log vkey|verify|export|proof`: the transparency log from the outside
// (c2sp.org/tlog-tiles, tlog-checkpoint, tlog-proof; docs/tlog.md).
#include <iostream>

#include "app/access/service.h"
#include "cli/context.h"
#include "cli/log_audit.h"
#include "cli/log_export.h"
#include "cli/log_proof.h"
#include "cli/log_source.h"
#include "net/http_client.h"
#include "server/root.h"

namespace vt::cli {
namespace {

StatusOr<std::string> RemoteVerifierKey(const std::string& server) {
  VT_ASSIGN_OR_RETURN(auto parts, SplitHttpUrl(server));
  net::HttpClientOptions options;
  options.read_timeout = std::chrono::seconds(5);
  VT_ASSIGN_OR_RETURN(auto http, net::NewHttpClient(parts.first, options));
  VT_ASSIGN_OR_RETURN(net::HttpResponse res, http->Get(parts.second + "/log/vkey"));
  if (res.status != 200)
    return UnavailableError("HTTP " + std::to_string(res.status) + " for " + server + "/log/vkey");
  // Parse it: never print something that is not a key.
  VT_ASSIGN_OR_RETURN(auto key, LoadVerifierKey(res.body));
  return key->VerifierKey();
}

void AddVkey(CLI::App& log, Context& ctx) {
  auto* cmd = log.add_subcommand("vkey", "Print the log's verifier key (signed-note vkey)");
  AddGlobalFlags(*cmd, ctx);
  cmd->callback([&ctx] {
    ctx.Run([&]() -> Status {
      std::string vkey;
      if (!ctx.Server().empty()) {
        VT_ASSIGN_OR_RETURN(vkey, RemoteVerifierKey(ctx.server));
      } else if (!ctx.data_dir.empty()) {
        VT_ASSIGN_OR_RETURN(auto components,
                            server::OpenComponents(ctx.data_dir, ctx.clock, ctx.rng));
        vkey = components->log().VerifierKey();
      } else {
        return InvalidArgumentError(
            "say where the log is: --data DIR or --server URL (or VTRUST_SERVER)");
      }
      ctx.Print({{"vkey", vkey}}, [&](const Json&) { return vkey + "\n"; });
      return OkStatus();
    });
  });
}

void AddVerify(CLI::App& log, Context& ctx) {
  auto* cmd = log.add_subcommand(
      "verify", "Audit a published log: signature, every tile and entry, root, consistency");
  static std::string source, vkey, state;
  cmd->add_option("URL", source, "Log prefix (http://host/log) or an exported directory")
      ->required();
  cmd->add_option("--vkey", vkey, "The log's verifier key, or @FILE")->required();
  cmd->add_option("--state", state, "Checkpoint of the previous run: checked, then replaced");
  AddGlobalFlags(*cmd, ctx);
  cmd->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(auto key, LoadVerifierKey(vkey));
      VT_ASSIGN_OR_RETURN(Json r, VerifyPublishedLog({source, state, key}));
      ctx.Print(r, [](const Json& j) {
        std::string out = "ok: " + j["origin"].get<std::string>() + " size " + j["size"].dump() +
                          " root " + j["root"].get<std::string>() + " (" + j["entries"].dump() +
                          " entries, " + j["tiles"].dump() + " tiles checked)\n";
        if (!j["previous"].is_null())
          out +=
              "consistent with the saved checkpoint of size " + j["previous"]["size"].dump() + "\n";
        return out;
      });
      return OkStatus();
    });
  });
}

void AddExport(CLI::App& log, Context& ctx) {
  auto* cmd = log.add_subcommand("export", "Write the log as static files for a web server");
  static std::string out, from;
  static bool force = false;
  cmd->add_option("--out", out, "Output directory (the log prefix, e.g. /srv/www/log)")->required();
  cmd->add_option("--from", from, "Export from a log URL or directory instead of --data");
  cmd->add_flag("--force", force, "Replace an exported checkpoint even if it is newer");
  AddGlobalFlags(*cmd, ctx);
  cmd->callback([&ctx] {
    ctx.Run([&]() -> Status {
      std::unique_ptr<LogFetcher> src;
      if (!from.empty()) {
        VT_ASSIGN_OR_RETURN(src, OpenLogFetcher(from));
      } else if (!ctx.data_dir.empty()) {
        VT_ASSIGN_OR_RETURN(src, OpenDataDirFetcher(ctx.data_dir, ctx.clock, ctx.rng));
      } else {
        return InvalidArgumentError("say what to export: --data DIR or --from URL");
      }
      VT_ASSIGN_OR_RETURN(Json r, ExportLog(*src, {out, force}));
      ctx.Print(r, [](const Json& j) {
        return "exported size " + j["size"].dump() + " to " + j["out"].get<std::string>() + " (" +
               j["written"].dump() + " files written, " + j["kept"].dump() + " kept)\n";
      });
      return OkStatus();
    });
  });
}

void AddProof(CLI::App& log, Context& ctx) {
  auto* proof = log.add_subcommand("proof", "Receipts: C2SP tlog-proof files");
  proof->require_subcommand(1);
  auto* verify = proof->add_subcommand("verify", "Check a tlog-proof file or JSON receipt offline");
  static std::string file, vkey, entry, leaf;
  verify->add_option("FILE", file, "tlog-proof file or JSON receipt")->required();
  verify->add_option("--vkey", vkey, "The log's verifier key, or @FILE")->required();
  verify->add_option("--entry", entry, "File with the entry's exact bytes");
  verify->add_option("--leaf-hash", leaf, "The entry's RFC 6962 leaf hash (base64)");
  AddGlobalFlags(*verify, ctx);
  verify->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(auto key, LoadVerifierKey(vkey));
      VT_ASSIGN_OR_RETURN(Json r, VerifyProofFile({file, key, entry, leaf}));
      ctx.Print(r, [](const Json& j) {
        return "ok: entry " + j["index"].dump() + " is in " + j["origin"].get<std::string>() +
               " at size " + j["tree_size"].dump() + "\n";
      });
      return OkStatus();
    });
  });
  auto* get = proof->add_subcommand("get", "Download an entry's tlog-proof and the entry");
  static std::string url, out, entry_out;
  static int64_t index = 0;
  get->add_option("URL", url, "Server base URL (http://host:port)")->required();
  get->add_option("INDEX", index, "Entry index")->required()->check(CLI::NonNegativeNumber);
  get->add_option("-o,--out", out, "Where to write the tlog-proof file")->required();
  get->add_option("--entry-out", entry_out, "Where to write the entry (default OUT.entry)");
  AddGlobalFlags(*get, ctx);
  get->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(
          Json r, DownloadProof(url, index, out, entry_out.empty() ? out + ".entry" : entry_out));
      ctx.Print(r, [](const Json& j) {
        return "wrote " + j["proof_file"].get<std::string>() + " and " +
               j["entry_file"].get<std::string>() + "\n";
      });
      return OkStatus();
    });
  });
}

}  // namespace

void AddLogCommands(CLI::App& app, Context& ctx) {
  auto* log = app.add_subcommand("log", "The transparency log: keys, audits, exports, receipts");
  log->require_subcommand(1);
  AddVkey(*log, ctx);
  AddVerify(*log, ctx);
  AddExport(*log, ctx);
  AddProof(*log, ctx);
}

}  // namespace vt::cli
