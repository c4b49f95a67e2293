// `vtrust content sign|verify` (docs/c2pa.md): content credentials for media
// of virtual characters. `content verify --trust ROOT.pem` runs offline.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/content/content_desk.h"
#include "app/core/config.h"
#include "cli/context.h"
#include "x509/cert.h"

namespace vt::cli {
namespace {

struct ContentFlags {
  std::string file, as, works, out, sidecar, trust, title;
};

ContentFlags& Flags() {
  static ContentFlags f;
  return f;
}

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string Escape(const std::string& s) { return Seg(s); }

std::string ContainerOf(const std::string& bytes) {
  auto kind = c2pa::DetectContainer(bytes.substr(0, 32));
  return kind.ok() ? std::string(c2pa::ContainerName(*kind)) : "";
}

Status Sign(Context& ctx, const ContentFlags& f) {
  VT_ASSIGN_OR_RETURN(std::string asset, app::ReadFile(f.file));
  bool sidecar = EndsWith(f.out, ".c2pa");
  std::string path = "/v1/content/sign?as=" + Escape(f.as);
  if (!f.works.empty()) path += "&works=" + Escape(f.works);
  if (!f.title.empty()) path += "&title=" + Escape(f.title);
  if (sidecar) path += "&sidecar=1";
  VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
  VT_ASSIGN_OR_RETURN(ApiReply r, c->Send("POST", path, asset, "application/octet-stream"));
  if (r.status != 200) {
    Json j = Json::parse(r.body, nullptr, false);
    std::string detail = j.is_object() ? j.value("detail", r.body) : r.body;
    return r.status == 400 ? InvalidArgumentError(detail)
                           : Status(StatusCode::kFailedPrecondition, detail);
  }
  VT_RETURN_IF_ERROR(app::WriteFileAtomic(f.out, r.body, 0644));
  // The summary, from the registry's own reading of what was written.
  std::string check = "/v1/content/verify", body = r.body;
  if (sidecar) {
    check += "?sidecar_length=" + std::to_string(r.body.size());
    body = r.body + asset;
  }
  VT_ASSIGN_OR_RETURN(ApiReply v, c->Send("POST", check, body, "application/octet-stream"));
  Json read = Json::parse(v.body, nullptr, false);
  if (!read.is_object()) read = Json::object();
  Json summary = {{"output", f.out},
                  {"bytes", r.body.size()},
                  {"container", sidecar ? std::string("sidecar") : ContainerOf(r.body)},
                  {"verdict", read.value("verdict", "")},
                  {"manifest", read.value("manifest", "")},
                  {"log_index", read.value("log", Json::object()).value("index", Json(-1))},
                  {"identity", !read.value("identity", Json()).is_null()}};
  if (read.contains("producer"))
    summary["signer_serial"] = read["producer"].value("signer_serial", "");
  ctx.Print(summary, [](const Json& j) {
    std::string s = "signed " + j.value("output", "") + " (" + j.value("manifest", "") +
                    ", log index " + std::to_string(j.value("log_index", -1)) + ")\n";
    if (!j.value("identity", false))
      s += "no CAWG identity (the character has no current card with a custodial key)\n";
    return s;
  });
  return OkStatus();
}

std::string Human(const Json& j) {
  std::string s = "verdict: " + j.value("verdict", "") + "\n";
  if (j.contains("manifest")) s += "manifest: " + j.value("manifest", "") + "\n";
  if (j.contains("character")) {
    const Json& ch = j["character"];
    s += "character: " + ch.value("id", "") + " " + ch.value("name", "") + "\n";
    if (ch.contains("card"))
      s += "  card " + ch["card"].value("serial", "") + " " + ch["card"].value("status", "") +
           (ch["card"].contains("revoked_at")
                ? " (revoked " + ch["card"]["revoked_at"].get<std::string>() + ")"
                : "") +
           "\n";
  }
  if (j.contains("producer"))
    s += "producer: " + j["producer"].value("org_id", "") + " " + j["producer"].value("name", "") +
         " (signer " + j["producer"].value("signer", "") + ")\n";
  for (const auto& w : j.value("works", Json::array())) s += "work: " + w.value("id", "") + "\n";
  for (const auto& st : j.value("statuses", Json::array()))
    s += std::string(st.value("success", false) ? "  ok   " : "  FAIL ") + st.value("code", "") +
         "\n";
  return s;
}

Status Verify(Context& ctx, const ContentFlags& f) {
  VT_ASSIGN_OR_RETURN(std::string asset, app::ReadFile(f.file));
  std::optional<std::string> sidecar;
  if (!f.sidecar.empty()) {
    VT_ASSIGN_OR_RETURN(sidecar, app::ReadFile(f.sidecar));
  }
  Json result;
  if (!f.trust.empty()) {
    VT_ASSIGN_OR_RETURN(std::string pem, app::ReadFile(f.trust));
    VT_ASSIGN_OR_RETURN(auto roots, x509::SplitPemCertificates(pem));
    std::vector<std::string> der;
    for (const auto& r : roots) {
      VT_ASSIGN_OR_RETURN(std::string d, x509::CertificateToDer(r));
      der.push_back(std::move(d));
    }
    std::istringstream in(asset);
    c2pa::Container kind = c2pa::Container::kSidecar;
    if (!sidecar) {
      VT_ASSIGN_OR_RETURN(kind, c2pa::DetectContainer(asset.substr(0, 32)));
    }
    VT_ASSIGN_OR_RETURN(result, app::VerifyOffline(kind, in, sidecar, der, ctx.clock.Now()));
  } else {
    std::string path = "/v1/content/verify";
    std::string body = asset;
    if (sidecar) {
      path += "?sidecar_length=" + std::to_string(sidecar->size());
      body = *sidecar + asset;
    }
    VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
    VT_ASSIGN_OR_RETURN(ApiReply r, c->Send("POST", path, body, "application/octet-stream"));
    result = Json::parse(r.body, nullptr, false);
    if (r.status != 200 || !result.is_object()) {
      std::string detail = result.is_object() ? result.value("detail", r.body) : r.body;
      return InvalidArgumentError(detail);
    }
  }
  ctx.Print(result, Human);
  if (result.value("verdict", "") != "trusted") ctx.exit_code = 1;
  return OkStatus();
}

}  // namespace

void AddContentCommands(CLI::App& app, Context& ctx) {
  auto* content = app.add_subcommand("content", "Content credentials (C2PA) for media");
  content->require_subcommand(1);
  ContentFlags& f = Flags();
  auto* sign = content->add_subcommand("sign", "Sign a JPEG, PNG, WAV or MP4 for a character");
  sign->add_option("FILE", f.file, "The asset")->required();
  sign->add_option("--as", f.as, "Character registry ID")->required();
  sign->add_option("--works", f.works, "Registered works used (IDs, comma-separated)");
  sign->add_option("--title", f.title, "Title (dc:title)");
  sign->add_option("-o,--out", f.out, "Output file; ending in .c2pa: a sidecar manifest store")
      ->required();
  AddGlobalFlags(*sign, ctx);
  sign->callback([&ctx, &f] { ctx.Run([&] { return Sign(ctx, f); }); });
  auto* verify = content->add_subcommand(
      "verify", "Verify an asset's content credentials (exit 0 only when trusted)");
  verify->add_option("FILE", f.file, "The asset")->required();
  verify->add_option("--sidecar", f.sidecar, "Manifest store (.c2pa) of the asset");
  verify->add_option("--trust", f.trust, "Root certificate(s), PEM: verify offline");
  AddGlobalFlags(*verify, ctx);
  verify->callback([&ctx, &f] { ctx.Run([&] { return Verify(ctx, f); }); });
}

}  // namespace vt::cli
