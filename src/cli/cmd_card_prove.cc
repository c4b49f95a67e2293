// `vtrust card challenge|prove|verify-proof|verdict-key|render` ("I am me",
// docs/id-card-profile.md; docs/i-am-me.md). These join the `card` command that
// cmd_card.cc creates (AddCardProveCommands runs after AddCardCommands; it
// creates `card` itself if it does not exist yet).
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/access/service.h"
#include "app/core/config.h"
#include "app/identity/ca_keys.h"
#include "cli/context.h"
#include "cli/format.h"
#include "crypto/signer.h"
#include "server/root.h"
#include "x509/challenge.h"
#include "x509/verdict.h"

namespace vt::cli {
namespace {

struct ProveFlags {
  std::string character, audience, challenge = "-", key, serial, cert, verdict, operator_cert, vkey,
                                   out, expect_audience;
  int ttl = 0;
  bool submit = false;
};

ProveFlags& Flags() {
  static ProveFlags f;
  return f;
}

// A file's contents, or standard input for "-".
StatusOr<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  return app::ReadFile(path);
}

StatusOr<Json> ReadJson(const std::string& path, const char* field) {
  VT_ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  auto j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return InvalidArgumentError(std::string(field) + " is not a JSON object").WithField(field);
  return j;
}

// The custodial key of card `serial` (local mode: the data directory holds it).
StatusOr<std::shared_ptr<crypto::Signer>> CustodialKey(const Context& ctx,
                                                       const std::string& serial) {
  if (!ctx.server.empty() || ctx.data_dir.empty()) {
    return InvalidArgumentError("--serial (a custodial key) needs local mode: --data DIR")
        .WithField("--serial");
  }
  VT_ASSIGN_OR_RETURN(auto components, server::OpenComponents(ctx.data_dir, ctx.clock, ctx.rng));
  VT_ASSIGN_OR_RETURN(app::Principal p, components->service().LocalPrincipal());
  StatusOr<app::CertRecord> cert = components->pki().GetCertificate(p, serial);
  if (!cert.ok() && cert.status().code() == StatusCode::kNotFound)
    return NotFoundError("no certificate with serial " + serial);
  if (!cert.ok()) return cert.status();
  if (!cert->key_ref)
    return FailedPreconditionError("card " + serial +
                                   " is not custodial (its key is "
                                   "the holder's: use --key)");
  return app::OpenKeyRef(components->service().config(), *cert->key_ref);
}

StatusOr<Json> Prove(Context& ctx, const ProveFlags& f) {
  VT_ASSIGN_OR_RETURN(Json doc, ReadJson(f.challenge, "--challenge"));
  if (doc.contains("challenge")) doc = doc["challenge"];  // a proof or verify body
  VT_ASSIGN_OR_RETURN(x509::Challenge c, x509::ChallengeFromJson(doc));
  std::shared_ptr<crypto::Signer> signer;
  if (!f.key.empty()) {
    VT_ASSIGN_OR_RETURN(std::string pem, app::ReadFile(f.key));
    VT_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::FromPem(pem));
    signer = crypto::MakeSoftwareSigner(std::move(key), "file:" + f.key);
  } else if (!f.serial.empty()) {
    VT_ASSIGN_OR_RETURN(signer, CustodialKey(ctx, f.serial));
  } else {
    return InvalidArgumentError("give --key KEY.pem or --serial SERIAL").WithField("--key");
  }
  VT_ASSIGN_OR_RETURN(x509::Proof proof, x509::ProveChallenge(c, *signer));
  Json body = x509::ProofToJson(proof);
  if (!f.cert.empty()) {
    VT_ASSIGN_OR_RETURN(body["certificate"], app::ReadFile(f.cert));
  }
  if (!f.expect_audience.empty()) body["audience"] = f.expect_audience;
  if (!f.submit) return body;
  VT_ASSIGN_OR_RETURN(Client * client, ctx.GetClient());
  return client->Call("POST", "/v1/challenges/" + Seg(c.id) + "/verify", body);
}

StatusOr<Json> VerifyOffline(const ProveFlags& f, int* exit_code) {
  VT_ASSIGN_OR_RETURN(std::string text, ReadInput(f.verdict));
  StatusOr<x509::Verdict> v = InvalidArgumentError("give --operator-cert FILE or --vkey FILE");
  if (!f.operator_cert.empty()) {
    VT_ASSIGN_OR_RETURN(std::string cert, app::ReadFile(f.operator_cert));
    v = x509::VerifyVerdictWithCertificate(text, cert);
  } else if (!f.vkey.empty()) {
    VT_ASSIGN_OR_RETURN(std::string pem, app::ReadFile(f.vkey));
    // Either the PEM itself or the JSON document of GET /v1/verdict-key.
    auto j = Json::parse(pem, nullptr, false);
    if (!j.is_discarded() && j.is_object()) pem = j.value("public_key", "");
    VT_ASSIGN_OR_RETURN(auto key, crypto::PublicKey::FromPem(pem));
    v = x509::VerifyVerdict(text, key);
  }
  VT_RETURN_IF_ERROR(v.status());
  if (!f.expect_audience.empty() && v->audience != f.expect_audience) {
    return PermissionDeniedError("the verdict is for audience '" + v->audience + "'")
        .WithField("audience");
  }
  if (!v->valid) *exit_code = 1;
  Json out{{"signature", "ok"},
           {"verdict", v->valid ? "valid" : "invalid"},
           {"character_id", v->character_id},
           {"challenge_id", v->challenge_id},
           {"audience", v->audience},
           {"card_serial", v->card_serial},
           {"time", FormatRfc3339(v->time)}};
  if (!v->valid) out["reason"] = v->reason;
  return out;
}

CLI::App* CardCommand(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "card"; }))
    return sub;
  auto* card = app.add_subcommand("card", "ID cards");
  card->require_subcommand(1);
  return card;
}

void Add(CLI::App& parent, Context& ctx, const std::string& name, const std::string& help,
         const std::function<void(CLI::App&)>& flags, std::function<StatusOr<Json>(Context&)> run,
         std::function<std::string(const Json&)> human) {
  auto* cmd = parent.add_subcommand(name, help);
  flags(*cmd);
  AddGlobalFlags(*cmd, ctx);
  cmd->callback([&ctx, run, human] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Json r, run(ctx));
      ctx.Print(r, human);
      return OkStatus();
    });
  });
}

std::string Dump(const Json& j) { return j.dump(2) + "\n"; }

}  // namespace

void AddCardProveCommands(CLI::App& app, Context& ctx) {
  CLI::App* card = CardCommand(app);
  ProveFlags& f = Flags();
  Add(
      *card, ctx, "challenge", "Ask for an \"I am me\" challenge for a character (verifier)",
      [&f](CLI::App& c) {
        c.add_option("CHARACTER", f.character, "Registry ID (VC-...)")->required();
        c.add_option("--audience", f.audience, "Who asks (e.g. https://venue.example)")->required();
        c.add_option("--ttl", f.ttl, "Seconds until it expires (1-600, default 120)");
      },
      [&f](Context& ctx) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
        Json body{{"audience", f.audience}};
        if (f.ttl) body["ttl_seconds"] = f.ttl;
        return c->Call("POST", "/v1/characters/" + Seg(f.character) + "/challenges", body);
      },
      [](const Json& j) {
        return FieldsTable(j) +
               "\nThe holder answers with `vtrust card prove --challenge FILE`; save the "
               "challenge as a file with --json.\n";
      });
  Add(
      *card, ctx, "prove", "Sign a challenge with the card key (holder); --submit verifies it",
      [&f](CLI::App& c) {
        c.add_option("--challenge", f.challenge, "Challenge JSON file, or - for stdin");
        c.add_option("--key", f.key, "The card's private key (PKCS#8 PEM)");
        c.add_option("--serial", f.serial, "A custodial card's serial (local mode only)");
        c.add_option("--cert", f.cert, "Name the card used (PEM); default: the current card");
        c.add_option("--audience", f.expect_audience, "The audience the verifier expects");
        c.add_flag("--submit", f.submit,
                   "POST the proof and print the signed verdict (exit 1 if it is invalid)");
      },
      [&f](Context& ctx) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Json r, Prove(ctx, f));
        // As verify-proof: a correctly signed "invalid" verdict exits 1.
        if (f.submit && r.value("verdict", "") != "valid") ctx.exit_code = 1;
        return r;
      },
      Dump);
  Add(
      *card, ctx, "verify-proof", "Check a signed verdict offline",
      [&f](CLI::App& c) {
        c.add_option("--verdict", f.verdict, "Verdict JSON file, or - for stdin")->required();
        c.add_option("--operator-cert", f.operator_cert, "A certificate of the verdict key");
        c.add_option("--vkey", f.vkey, "The verdict key (PEM, or GET /v1/verdict-key JSON)");
        c.add_option("--audience", f.expect_audience, "Refuse a verdict for another audience");
      },
      [&f](Context& ctx) -> StatusOr<Json> {
        int code = 0;
        VT_ASSIGN_OR_RETURN(Json out, VerifyOffline(f, &code));
        ctx.exit_code = code;  // 1 for a correctly signed "invalid" verdict
        return out;
      },
      Dump);
  Add(
      *card, ctx, "verdict-key", "The operator's verdict-signing public key", [](CLI::App&) {},
      [](Context& ctx) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
        return c->Call("GET", "/v1/verdict-key");
      },
      [](const Json& j) { return j.value("public_key", ""); });
  Add(
      *card, ctx, "render", "The printable ID card (SVG)",
      [&f](CLI::App& c) {
        c.add_option("CHARACTER", f.character, "Registry ID (VC-...)")->required();
        c.add_option("--out", f.out, "Output file (- for stdout)")->required();
      },
      [&f](Context& ctx) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
        VT_ASSIGN_OR_RETURN(ApiReply r,
                            c->Send("GET", "/v1/characters/" + Seg(f.character) + "/card.svg", ""));
        if (r.status != 200) {
          VT_RETURN_IF_ERROR(c->Call("GET", "/v1/characters/" + Seg(f.character)).status());
          return InternalError("card.svg: HTTP " + std::to_string(r.status));
        }
        if (f.out == "-") {
          std::cout << r.body;
          return Json{{"bytes", r.body.size()}};
        }
        VT_RETURN_IF_ERROR(app::WriteFileAtomic(f.out, r.body, 0644));
        return Json{{"out", f.out}, {"bytes", r.body.size()}};
      },
      [](const Json& j) {
        return j.contains("out") ? "wrote " + j["out"].get<std::string>() + "\n" : "";
      });
}

}  // namespace vt::cli
