// `vtrust content sign|verify` (docs/c2pa.md): content credentials for media
// of virtual characters. `content verify --trust ROOT.pem` runs offline.
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/content/content_desk.h"
#include "app/core/config.h"
#include "base/encoding.h"
#include "cli/context.h"
#include "crypto/key.h"
#include "x509/cert.h"

namespace vt::cli {
namespace {

struct ContentFlags {
  std::string file, as, works, out, sidecar, trust, title, tsa, holder_key, signature;
  int64_t log_index = -1;
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

// The query of sign, prepare and finish.
std::string SignQuery(const ContentFlags& f, bool sidecar) {
  std::string q = "?as=" + Escape(f.as);
  if (!f.works.empty()) q += "&works=" + Escape(f.works);
  if (!f.title.empty()) q += "&title=" + Escape(f.title);
  if (!f.tsa.empty()) q += "&tsa=" + Escape(f.tsa);
  if (sidecar) q += "&sidecar=1";
  return q;
}

Status ReplyError(const ApiReply& r) {
  Json j = Json::parse(r.body, nullptr, false);
  std::string detail = j.is_object() ? j.value("detail", r.body) : r.body;
  return r.status == 400 ? InvalidArgumentError(detail)
                         : Status(StatusCode::kFailedPrecondition, detail);
}

// Holder signing, step 1: POST /v1/content/holder/prepare.
StatusOr<Json> Prepare(Client* c, const ContentFlags& f, bool sidecar) {
  VT_ASSIGN_OR_RETURN(
      ApiReply r, c->SendFile("POST", "/v1/content/holder/prepare" + SignQuery(f, sidecar), f.file,
                              "application/octet-stream", ""));
  if (r.status != 200) return ReplyError(r);
  Json j = Json::parse(r.body, nullptr, false);
  if (!j.is_object()) return InternalError("prepare: not a JSON answer");
  return j;
}

// The holder's signature over the prepared bytes with its key file (PKCS#8
// PEM; VTRUST_KEY_PASSPHRASE if encrypted): DER ECDSA or raw Ed25519.
StatusOr<std::string> HolderSign(const std::string& key_file, const Json& prepared) {
  VT_ASSIGN_OR_RETURN(std::string pem, app::ReadFile(key_file));
  const char* pass = getenv("VTRUST_KEY_PASSPHRASE");
  VT_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::FromPem(pem, pass ? pass : ""));
  VT_ASSIGN_OR_RETURN(std::string tbs, Base64Decode(prepared.value("to_be_signed", "")));
  return key.Sign(tbs);
}

// The size of a file, or -1.
int64_t FileSize(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<int64_t>(in.tellg()) : -1;
}

// A temporary file holding `first` then `second` (the body of a sidecar
// verification), streamed; removed by the caller.
StatusOr<std::string> Concatenate(const std::string& first, const std::string& second) {
  const char* base = getenv("TMPDIR");
  std::string path = std::string(base && *base ? base : "/tmp") + "/vtrust-verify-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) return InternalError("cannot create a temporary file");
  close(fd);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const std::string& f : {first, second}) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      unlink(path.c_str());
      return NotFoundError("cannot read " + f);
    }
    if (FileSize(f) > 0) out << in.rdbuf();
  }
  out.close();
  if (!out) {
    unlink(path.c_str());
    return InternalError("cannot write " + path);
  }
  return path;
}

// POST /v1/content/verify of FILE (and its sidecar), streamed from files.
StatusOr<Json> VerifyRemote(Client* c, const std::string& file, const std::string& sidecar) {
  std::string path = "/v1/content/verify", body = file, temp;
  if (!sidecar.empty()) {
    int64_t n = FileSize(sidecar);
    if (n < 0) return NotFoundError("cannot read " + sidecar);
    path += "?sidecar_length=" + std::to_string(n);
    VT_ASSIGN_OR_RETURN(temp, Concatenate(sidecar, file));
    body = temp;
  }
  auto r = c->SendFile("POST", path, body, "application/octet-stream", "");
  if (!temp.empty()) unlink(temp.c_str());
  VT_RETURN_IF_ERROR(r.status());
  Json result = Json::parse(r->body, nullptr, false);
  if (r->status != 200 || !result.is_object()) {
    std::string detail = result.is_object() ? result.value("detail", r->body) : r->body;
    return InvalidArgumentError(detail);
  }
  return result;
}

Status Sign(Context& ctx, const ContentFlags& f) {
  if (FileSize(f.file) < 0) return NotFoundError("cannot read " + f.file).WithField("FILE");
  bool sidecar = EndsWith(f.out, ".c2pa");
  VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
  std::string path = "/v1/content/sign" + SignQuery(f, sidecar);
  if (!f.holder_key.empty() || !f.signature.empty()) {
    // Holder signing: the card's holder signs the identity with its own key.
    int64_t index = f.log_index;
    std::string signature;
    if (!f.holder_key.empty()) {
      VT_ASSIGN_OR_RETURN(Json prepared, Prepare(c, f, sidecar));
      index = prepared.value("log_index", int64_t{-1});
      VT_ASSIGN_OR_RETURN(signature, HolderSign(f.holder_key, prepared));
    } else {
      VT_ASSIGN_OR_RETURN(signature, Base64Decode(f.signature));
      if (index < 0)
        return InvalidArgumentError("--signature needs --log-index (from content prepare)")
            .WithField("log-index");
    }
    path = "/v1/content/holder/finish" + SignQuery(f, sidecar) +
           "&log_index=" + std::to_string(index) + "&signature=" + Base64UrlEncode(signature);
  }
  VT_ASSIGN_OR_RETURN(ApiReply r,
                      c->SendFile("POST", path, f.file, "application/octet-stream", f.out));
  if (r.status != 200) return ReplyError(r);
  // The summary, from the registry's own reading of what was written.
  auto checked = sidecar ? VerifyRemote(c, f.file, f.out) : VerifyRemote(c, f.out, "");
  Json read = checked.ok() ? *checked : Json::object();
  std::string head(32, '\0');
  std::ifstream(f.out, std::ios::binary).read(head.data(), 32);
  Json summary = {{"output", f.out},
                  {"bytes", FileSize(f.out)},
                  {"container", sidecar ? std::string("sidecar") : ContainerOf(head)},
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
  if (FileSize(f.file) < 0) return NotFoundError("cannot read " + f.file).WithField("FILE");
  std::optional<std::string> sidecar;
  Json result;
  if (!f.trust.empty()) {
    if (!f.sidecar.empty()) {
      VT_ASSIGN_OR_RETURN(sidecar, app::ReadFile(f.sidecar));
    }
    VT_ASSIGN_OR_RETURN(std::string pem, app::ReadFile(f.trust));
    VT_ASSIGN_OR_RETURN(auto roots, x509::SplitPemCertificates(pem));
    std::vector<std::string> der;
    for (const auto& r : roots) {
      VT_ASSIGN_OR_RETURN(std::string d, x509::CertificateToDer(r));
      der.push_back(std::move(d));
    }
    std::ifstream in(f.file, std::ios::binary);
    c2pa::Container kind = c2pa::Container::kSidecar;
    if (!sidecar) {
      std::string head(32, '\0');
      in.read(head.data(), 32);
      head.resize(static_cast<size_t>(in.gcount()));
      in.clear();
      in.seekg(0);
      VT_ASSIGN_OR_RETURN(kind, c2pa::DetectContainer(head));
    }
    VT_ASSIGN_OR_RETURN(result, app::VerifyOffline(kind, in, sidecar, der, ctx.clock.Now()));
  } else {
    VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
    VT_ASSIGN_OR_RETURN(result, VerifyRemote(c, f.file, f.sidecar));
  }
  ctx.Print(result, Human);
  if (result.value("verdict", "") != "trusted") ctx.exit_code = 1;
  return OkStatus();
}

Status PrepareCmd(Context& ctx, const ContentFlags& f) {
  VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
  VT_ASSIGN_OR_RETURN(Json prepared, Prepare(c, f, !f.sidecar.empty()));
  ctx.Print(prepared, [](const Json& j) {
    return "log index " + std::to_string(j.value("log_index", -1)) + " (" +
           j.value("manifest", "") + "); the card's holder signs, with its " + j.value("alg", "") +
           " key, the base64 bytes:\n" + j.value("to_be_signed", "") + "\n";
  });
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
  sign->add_option("--tsa", f.tsa,
                   "RFC 3161 TSA URL for the signature's timestamp (default: the "
                   "configuration's tsa_url; operator admins only)");
  sign->add_option("-o,--out", f.out, "Output file; ending in .c2pa: a sidecar manifest store")
      ->required();
  sign->add_option("--holder-key", f.holder_key,
                   "Holder signing: the card's own key (PKCS#8 PEM) signs the identity "
                   "(prepare and finish in one go)");
  AddGlobalFlags(*sign, ctx);
  sign->callback([&ctx, &f] { ctx.Run([&] { return Sign(ctx, f); }); });

  auto* prepare = content->add_subcommand(
      "prepare", "Holder signing, step 1: the bytes the card's holder signs (--json)");
  prepare->add_option("FILE", f.file, "The asset")->required();
  prepare->add_option("--as", f.as, "Character registry ID")->required();
  prepare->add_option("--works", f.works, "Registered works used (IDs, comma-separated)");
  prepare->add_option("--sidecar", f.sidecar, "Any value: prepare a sidecar (.c2pa)");
  AddGlobalFlags(*prepare, ctx);
  prepare->callback([&ctx, &f] { ctx.Run([&] { return PrepareCmd(ctx, f); }); });

  auto* finish = content->add_subcommand(
      "finish", "Holder signing, step 2: the holder's signature in, the signed asset out");
  finish->add_option("FILE", f.file, "The same asset")->required();
  finish->add_option("--as", f.as, "Character registry ID")->required();
  finish->add_option("--works", f.works, "The same works as in prepare");
  finish->add_option("--title", f.title, "Title (dc:title)");
  finish->add_option("--tsa", f.tsa, "RFC 3161 TSA URL (operator admins)");
  finish->add_option("--log-index", f.log_index, "The log_index prepare returned")->required();
  finish
      ->add_option("--signature", f.signature, "The holder's signature over to_be_signed (base64)")
      ->required();
  finish->add_option("-o,--out", f.out, "Output file; ending in .c2pa: a sidecar")->required();
  AddGlobalFlags(*finish, ctx);
  finish->callback([&ctx, &f] { ctx.Run([&] { return Sign(ctx, f); }); });
  auto* verify = content->add_subcommand(
      "verify", "Verify an asset's content credentials (exit 0 only when trusted)");
  verify->add_option("FILE", f.file, "The asset")->required();
  verify->add_option("--sidecar", f.sidecar, "Manifest store (.c2pa) of the asset");
  verify->add_option("--trust", f.trust, "Root certificate(s), PEM: verify offline");
  AddGlobalFlags(*verify, ctx);
  verify->callback([&ctx, &f] { ctx.Run([&] { return Verify(ctx, f); }); });
}

}  // namespace vt::cli
