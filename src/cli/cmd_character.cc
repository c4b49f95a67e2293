// `vtrust character register|show|list|update|retire` (docs/id-card-profile.md). Likeness
// fingerprints are computed here, from local files, in one streaming pass
// (crypto::DigestFile: SHA-256 and SM3 together, constant memory); only the
// digests reach the server.
#include <optional>

#include "base/encoding.h"
#include "cli/context.h"
#include "crypto/digest.h"

namespace vt::cli {
namespace {

struct CharacterFlags {
  std::string id, name, description, digital_human_code, owner_org, reason;
  std::vector<std::string> name_langs, creators, faces, voices, models;
  bool ai_driven = false;
  std::optional<bool> ai;  // update: --ai-driven=true|false
  int limit = 100;
};

CharacterFlags& Flags() {
  static CharacterFlags f;
  return f;
}

std::string Summary(const Json& j) {
  std::string out = j.value("id", "") + "  " + j.value("name", "") + "  " + j.value("status", "") +
                    "  owner=" + j.value("owner_org", "");
  if (j.value("ai_driven", false)) out += "  ai-driven";
  return out + "\n";
}

// "zh-Hans=艾莉亚" pairs into {"zh-Hans": "艾莉亚"}.
StatusOr<Json> Names(const std::vector<std::string>& pairs) {
  Json names = Json::object();
  for (const auto& p : pairs) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return InvalidArgumentError("--name-lang takes LANG=NAME, not '" + p + "'")
          .WithField("--name-lang");
    names[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return names;
}

// Likeness fingerprints of the given files, in order face, model3d, voice.
StatusOr<Json> Likeness(const CharacterFlags& f) {
  Json out = Json::array();
  for (const auto& [kind, files] :
       {std::pair{"face", &f.faces}, {"model3d", &f.models}, {"voice", &f.voices}}) {
    for (const auto& path : *files) {
      VT_ASSIGN_OR_RETURN(crypto::FileDigests d, crypto::DigestFile(path));
      out.push_back({{"kind", kind}, {"sha256", HexEncode(d.sha256)}, {"sm3", HexEncode(d.sm3)}});
    }
  }
  return out;
}

// The fields shared by register and update; only those given on the command line.
StatusOr<Json> Body(const CharacterFlags& f, bool registering) {
  Json body = Json::object();
  if (!f.name.empty()) body["name"] = f.name;
  if (!f.name_langs.empty()) {
    VT_ASSIGN_OR_RETURN(body["names"], Names(f.name_langs));
  }
  if (!f.description.empty()) body["description"] = f.description;
  if (!f.creators.empty()) body["creators"] = f.creators;
  if (!f.faces.empty() || !f.voices.empty() || !f.models.empty()) {
    VT_ASSIGN_OR_RETURN(body["likeness"], Likeness(f));
  }
  if (!f.digital_human_code.empty()) body["digital_human_code"] = f.digital_human_code;
  if (registering) {
    body["ai_driven"] = f.ai_driven;
    if (!f.owner_org.empty()) body["owner_org"] = f.owner_org;
  } else if (f.ai) {
    body["ai_driven"] = *f.ai;
  }
  return body;
}

void AddFieldFlags(CLI::App& cmd, CharacterFlags& f) {
  cmd.add_option("--name-lang", f.name_langs, "A name in another language: LANG=NAME");
  cmd.add_option("--description", f.description, "Description");
  cmd.add_option("--creator", f.creators, "A creator (repeatable)");
  cmd.add_option("--face", f.faces, "Reference face image file (fingerprinted locally)");
  cmd.add_option("--model", f.models, "Reference 3D model file (fingerprinted locally)");
  cmd.add_option("--voice", f.voices, "Reference voice model file (fingerprinted locally)");
  cmd.add_option("--digital-human-code", f.digital_human_code,
                 "National digital-human identity code");
}

// Adds one subcommand whose callback sends `request()` and prints the reply.
void Command(CLI::App& parent, Context& ctx, const std::string& name, const std::string& help,
             const std::function<void(CLI::App&)>& flags,
             std::function<StatusOr<Json>(Client&)> request,
             std::function<std::string(const Json&)> human) {
  auto* cmd = parent.add_subcommand(name, help);
  flags(*cmd);
  AddGlobalFlags(*cmd, ctx);
  cmd->callback([&ctx, request, human] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, request(*c));
      ctx.Print(r, human);
      return OkStatus();
    });
  });
}

}  // namespace

void AddCharacterCommands(CLI::App& app, Context& ctx) {
  auto* ch = app.add_subcommand("character", "Virtual characters (the registry)");
  ch->require_subcommand(1);
  CharacterFlags& f = Flags();
  Command(
      *ch, ctx, "register", "Register a character owned by your organization",
      [&f](CLI::App& c) {
        c.add_option("--name", f.name, "Primary name")->required();
        AddFieldFlags(c, f);
        c.add_flag("--ai-driven", f.ai_driven, "The character is driven by an AI");
        c.add_option("--owner-org", f.owner_org, "Owner organization (operator admins)");
      },
      [&f](Client& c) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Json body, Body(f, true));
        return c.Call("POST", "/v1/characters", body);
      },
      Summary);
  Command(
      *ch, ctx, "show", "One character",
      [&f](CLI::App& c) { c.add_option("ID", f.id, "Registry ID (VC-...)")->required(); },
      [&f](Client& c) { return c.Call("GET", "/v1/characters/" + Seg(f.id)); },
      [](const Json& j) { return j.dump(2) + "\n"; });
  Command(
      *ch, ctx, "list", "Characters of your organization (operator: all)",
      [&f](CLI::App& c) { c.add_option("--limit", f.limit, "At most this many (1-1000)"); },
      [&f](Client& c) { return c.Call("GET", "/v1/characters?limit=" + std::to_string(f.limit)); },
      [](const Json& j) {
        std::string out;
        for (const auto& c : j["characters"]) out += Summary(c);
        return out.empty() ? std::string("(none)\n") : out;
      });
  Command(
      *ch, ctx, "update", "Change a character (only the fields given)",
      [&f](CLI::App& c) {
        c.add_option("ID", f.id, "Registry ID (VC-...)")->required();
        c.add_option("--name", f.name, "Primary name");
        AddFieldFlags(c, f);
        c.add_option("--ai-driven", f.ai, "true or false");
      },
      [&f](Client& c) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Json body, Body(f, false));
        return c.Call("PATCH", "/v1/characters/" + Seg(f.id), body);
      },
      Summary);
  Command(
      *ch, ctx, "retire", "Retire a character",
      [&f](CLI::App& c) {
        c.add_option("ID", f.id, "Registry ID (VC-...)")->required();
        c.add_option("--reason", f.reason, "Why (recorded in the log)");
      },
      [&f](Client& c) {
        std::string q = f.reason.empty() ? "" : "?reason=" + Seg(f.reason);
        return c.Call("POST", "/v1/characters/" + Seg(f.id) + "/retire" + q);
      },
      Summary);
}

}  // namespace vt::cli
