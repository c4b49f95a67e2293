// `vtrust work register|list|show|use|graph` (docs/works.md).
#include "base/encoding.h"
#include "cli/context.h"
#include "crypto/digest.h"

namespace vt::cli {
namespace {

std::string Summary(const Json& w) {
  std::string title = w["titles"].empty() ? "" : w["titles"].begin()->get<std::string>();
  return w.value("id", "") + "  " + w.value("type", "") + "  " + title +
         "  sha256=" + w["digests"].value("sha256", "") + "\n";
}

// "KEY=VALUE" -> pair; InvalidArgument naming `flag` otherwise.
StatusOr<std::pair<std::string, std::string>> KeyValue(const std::string& s,
                                                       const std::string& flag) {
  size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0)
    return InvalidArgumentError(flag + " expects KEY=VALUE, got '" + s + "'");
  return std::make_pair(s.substr(0, eq), s.substr(eq + 1));
}

// "--holder copyright=org_x:6000" -> rights["copyright"] += {party, share_bp}.
Status AddHolder(Json& rights, const std::string& spec) {
  VT_ASSIGN_OR_RETURN(auto kv, KeyValue(spec, "--holder"));
  size_t colon = kv.second.rfind(':');
  std::string bp = colon == std::string::npos ? "" : kv.second.substr(colon + 1);
  if (bp.empty() || bp.size() > 7 || bp.find_first_not_of("-0123456789") != std::string::npos)
    return InvalidArgumentError("--holder expects RIGHT=PARTY:BASIS_POINTS, got '" + spec + "'");
  rights[kv.first].push_back({{"party", kv.second.substr(0, colon)}, {"share_bp", std::stoll(bp)}});
  return OkStatus();
}

struct RegisterArgs {
  std::string type, file, sha256, sm3;
  std::vector<std::string> titles, ids, holders;
};

StatusOr<Json> RegisterBody(const RegisterArgs& a) {
  Json body = {{"type", a.type}, {"titles", Json::object()}, {"rights", Json::object()}};
  for (const auto& t : a.titles) {
    VT_ASSIGN_OR_RETURN(auto kv, KeyValue(t, "--title"));
    body["titles"][kv.first] = kv.second;
  }
  for (const auto& t : a.ids) {
    VT_ASSIGN_OR_RETURN(auto kv, KeyValue(t, "--id"));
    body["identifiers"][kv.first] = kv.second;
  }
  for (const auto& h : a.holders) VT_RETURN_IF_ERROR(AddHolder(body["rights"], h));
  Json digests = Json::object();
  if (!a.file.empty()) {  // streamed: constant memory whatever the file size
    VT_ASSIGN_OR_RETURN(auto d, crypto::DigestFile(a.file));
    digests = {{"sha256", HexEncode(d.sha256)}, {"sm3", HexEncode(d.sm3)}};
  }
  if (!a.sha256.empty()) digests["sha256"] = a.sha256;
  if (!a.sm3.empty()) digests["sm3"] = a.sm3;
  if (!digests.contains("sha256"))
    return InvalidArgumentError("give the content with --file PATH or --sha256 HEX");
  body["digests"] = digests;
  return body;
}

void AddRegister(CLI::App& work, Context& ctx) {
  static RegisterArgs a;
  auto* reg = work.add_subcommand("register", "Register a work (digests computed from --file)");
  reg->add_option("--type", a.type,
                  "character_design, model_3d, voice_model, song, "
                  "choreography, performance, episode, concert or recording")
      ->required();
  reg->add_option("--title", a.titles, "LANG=TITLE (repeatable)")->required();
  reg->add_option("--file", a.file, "Content file: its SHA-256 and SM3 are computed");
  reg->add_option("--sha256", a.sha256, "Content SHA-256 (hex) instead of --file");
  reg->add_option("--sm3", a.sm3, "Content SM3 (hex)");
  reg->add_option("--id", a.ids, "SCHEME=VALUE: isrc, iswc, isni, dci, digital_human_code");
  reg->add_option("--holder", a.holders, "RIGHT=PARTY:BASIS_POINTS, e.g. copyright=org_x:10000")
      ->required();
  AddGlobalFlags(*reg, ctx);
  reg->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Json body, RegisterBody(a));
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", "/v1/works", body));
      ctx.Print(r, Summary);
      return OkStatus();
    });
  });
}

void AddReads(CLI::App& work, Context& ctx) {
  static std::string id, used, role;
  static int depth = 3;
  auto* list = work.add_subcommand("list", "Works of your organization");
  AddGlobalFlags(*list, ctx);
  list->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/works"));
      ctx.Print(r, [](const Json& j) {
        std::string out;
        for (const auto& w : j["works"]) out += Summary(w);
        return out.empty() ? std::string("(none)\n") : out;
      });
      return OkStatus();
    });
  });
  auto* show = work.add_subcommand("show", "One work");
  show->add_option("WORK", id, "Work id")->required();
  AddGlobalFlags(*show, ctx);
  show->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/works/" + Seg(id)));
      ctx.Print(r, [](const Json& j) { return j.dump(2) + "\n"; });
      return OkStatus();
    });
  });
  auto* use = work.add_subcommand("use", "Record that WORK uses USED_WORK");
  use->add_option("WORK", id, "The deriving work (e.g. a concert)")->required();
  use->add_option("USED_WORK", used, "The work it uses (e.g. a character)")->required();
  use->add_option("--role", role, "What the used work is to it (character, song...)")->required();
  AddGlobalFlags(*use, ctx);
  use->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", "/v1/works/" + Seg(id) + "/uses",
                                          {{"used_work_id", used}, {"role", role}}));
      ctx.Print(r, [](const Json& j) {
        return j.value("work_id", "") + " uses " + j.value("used_work_id", "") + " (" +
               j.value("role", "") + ")\n";
      });
      return OkStatus();
    });
  });
  auto* graph = work.add_subcommand("graph", "The derivation graph around a work");
  graph->add_option("WORK", id, "Work id")->required();
  graph->add_option("--depth", depth, "Hops each way (1-10)");
  AddGlobalFlags(*graph, ctx);
  graph->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(
          Json r, c->Call("GET", "/v1/works/" + Seg(id) + "/graph?depth=" + std::to_string(depth)));
      ctx.Print(r, [](const Json& j) {
        std::string out;
        for (const auto& e : j["edges"])
          out += e.value("work_id", "") + " -> " + e.value("used_work_id", "") + "  (" +
                 e.value("role", "") + ")\n";
        return out.empty() ? std::string("(no edges)\n") : out;
      });
      return OkStatus();
    });
  });
}

}  // namespace

void AddWorkCommands(CLI::App& app, Context& ctx) {
  auto* work = app.add_subcommand("work", "Works and their rights holders");
  work->require_subcommand(1);
  AddRegister(*work, ctx);
  AddReads(*work, ctx);
}

}  // namespace vt::cli
