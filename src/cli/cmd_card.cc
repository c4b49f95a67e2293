// `vtrust card issue|renew|revoke|status|get|list` and `vtrust member-cert`
// (docs/id-card-profile.md). `card prove|challenge|render...` join the same `card`
// command from cmd_card_prove.cc.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/core/config.h"
#include "base/encoding.h"
#include "cli/context.h"
#include "crypto/key.h"
#include "x509/csr.h"

namespace vt::cli {
namespace {

struct CardFlags {
  std::string id, serial, alg, csr, reason = "unspecified", format = "pem", out, org, member,
                                    new_key;
  int lifetime_days = 0;
};

CardFlags& Flags() {
  static CardFlags f;
  return f;
}

StatusOr<std::string> ReadCsr(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  auto text = app::ReadFile(path);
  if (!text.ok()) return InvalidArgumentError("cannot read --csr " + path).WithField("csr");
  if (text->find("-----BEGIN") != std::string::npos) return text;
  // DER: sent as PEM (JSON carries text only).
  std::string b64 = Base64Encode(*text), pem = "-----BEGIN CERTIFICATE REQUEST-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE REQUEST-----\n";
}

// {alg?, csr?, lifetime_days?} from the flags.
StatusOr<Json> IssueBody(const CardFlags& f, const std::string& default_alg) {
  Json body = Json::object();
  std::string alg = f.alg.empty() ? default_alg : f.alg;
  if (!alg.empty()) body["alg"] = alg;
  if (!f.csr.empty()) {
    VT_ASSIGN_OR_RETURN(body["csr"], ReadCsr(f.csr));
  }
  if (f.lifetime_days > 0) body["lifetime_days"] = f.lifetime_days;
  return body;
}

std::string HumanIssued(const Json& j) {
  return "serial " + j.value("serial", "") + "\n" + j.value("certificate", "");
}

std::string HumanStatus(const Json& j) {
  std::string out = j.value("serial", "") + "  " + j.value("status", "");
  if (j.value("reason", Json()).is_string()) out += " (" + j["reason"].get<std::string>() + ")";
  out += "  " + j.value("alg", "") + "  valid " + j.value("not_before", "") + " .. " +
         j.value("not_after", "");
  if (j.value("superseded_by", Json()).is_string())
    out += "  superseded by " + j["superseded_by"].get<std::string>();
  return out + "\n";
}

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

// Writes the issued certificate to --out (if given) and prints the result.
Status WriteIssued(Context& ctx, const CardFlags& f, Json r) {
  if (!f.out.empty()) {
    VT_RETURN_IF_ERROR(app::WriteFileAtomic(f.out, r.value("certificate", ""), 0644));
    r["certificate_file"] = f.out;
  }
  ctx.Print(r, [](const Json& j) {
    std::string out = "member certificate serial " + j.value("serial", "") + "\n";
    if (j.contains("key_file"))
      out += "private key: " + j["key_file"].get<std::string>() +
             " (keep it; it never left "
             "this machine)\n";
    if (j.contains("certificate_file"))
      out += "certificate: " + j["certificate_file"].get<std::string>() + "\n";
    else
      out += j.value("certificate", "");
    if (j.contains("key_file") && j.contains("certificate_file"))
      out += "sign with: vtrust agreement sign AGREEMENT --version HASH --key " +
             j["key_file"].get<std::string>() + " --cert " +
             j["certificate_file"].get<std::string>() + "\n";
    return out;
  });
  return OkStatus();
}

// `card get`: the certificate as PEM, DER or the full chain, to --out or stdout.
Status Download(Context& ctx, const CardFlags& f) {
  std::string file;
  if (f.format == "pem")
    file = "certificate.pem";
  else if (f.format == "der")
    file = "certificate.der";
  else if (f.format == "chain")
    file = "chain.pem";
  else
    return InvalidArgumentError("--format must be pem, der or chain").WithField("format");
  VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
  std::string base = "/v1/cards/" + Seg(f.serial);
  VT_ASSIGN_OR_RETURN(ApiReply r, c->Send("GET", base + "/" + file, ""));
  if (r.status != 200) {
    VT_RETURN_IF_ERROR(c->Call("GET", base).status());  // the problem, as a Status
    return InternalError("download failed with HTTP " + std::to_string(r.status));
  }
  if (f.out.empty() || f.out == "-") {
    std::cout << r.body << std::flush;
    return OkStatus();
  }
  return app::WriteFileAtomic(f.out, r.body, 0644);
}

// `member-cert`: optionally makes the key pair (only the CSR leaves the machine),
// issues the certificate for --org/--member (default: the caller) and writes the
// files. Nothing is written unless the certificate was issued.
Status MemberCert(Context& ctx, CardFlags f) {
  if (!f.new_key.empty() && !f.csr.empty())
    return InvalidArgumentError("--new-key makes the CSR; do not pass --csr too").WithField("csr");
  if (!f.new_key.empty() && std::filesystem::exists(f.new_key))
    return AlreadyExistsError(f.new_key + " exists; not overwriting a key").WithField("new-key");
  VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
  if (f.org.empty() || f.member.empty()) {
    VT_ASSIGN_OR_RETURN(Json me, c->Call("GET", "/v1/whoami"));
    if (f.org.empty()) f.org = me.value("org_id", "");
    if (f.member.empty()) f.member = me.value("member_id", "");
  }
  std::string key_pem;
  if (!f.new_key.empty()) {
    VT_ASSIGN_OR_RETURN(crypto::KeyAlg alg, crypto::ParseKeyAlg(f.alg.empty() ? "p256" : f.alg));
    VT_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::Generate(alg));
    const char* pass = std::getenv("VTRUST_KEY_PASSPHRASE");
    VT_ASSIGN_OR_RETURN(key_pem, key.ToPem(pass ? pass : ""));
    VT_ASSIGN_OR_RETURN(std::string csr, x509::MakeCsrPem(key));
    f.csr.clear();
    VT_ASSIGN_OR_RETURN(Json body, IssueBody(f, "p256"));
    body["csr"] = csr;
    VT_ASSIGN_OR_RETURN(
        Json r,
        c->Call("POST", "/v1/orgs/" + Seg(f.org) + "/members/" + Seg(f.member) + "/certificates",
                body));
    VT_RETURN_IF_ERROR(app::WriteFileAtomic(f.new_key, key_pem, 0600));
    r["key_file"] = f.new_key;
    return WriteIssued(ctx, f, r);
  }
  VT_ASSIGN_OR_RETURN(Json body, IssueBody(f, "p256"));
  VT_ASSIGN_OR_RETURN(
      Json r,
      c->Call("POST", "/v1/orgs/" + Seg(f.org) + "/members/" + Seg(f.member) + "/certificates",
              body));
  return WriteIssued(ctx, f, r);
}

}  // namespace

void AddCardCommands(CLI::App& app, Context& ctx) {
  auto* card = app.add_subcommand("card", "ID cards");
  card->require_subcommand(1);
  CardFlags& f = Flags();
  auto issue_flags = [&f](CLI::App& c) {
    c.add_option("--alg", f.alg, "p256 (default), ed25519 or sm2");
    c.add_option("--csr", f.csr,
                 "PKCS#10 CSR file (PEM or DER; - for stdin); without it the key is custodial");
    c.add_option("--lifetime-days", f.lifetime_days, "Validity in days (default 365, max 825)");
  };
  Command(
      *card, ctx, "issue", "Issue an ID card for a character",
      [&](CLI::App& c) {
        c.add_option("CHARACTER_ID", f.id, "Registry ID (VC-...)")->required();
        issue_flags(c);
      },
      [&f](Client& c) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Json body, IssueBody(f, "p256"));
        return c.Call("POST", "/v1/characters/" + Seg(f.id) + "/cards", body);
      },
      HumanIssued);
  Command(
      *card, ctx, "renew", "Renew or rotate a card (new serial, same character)",
      [&](CLI::App& c) {
        c.add_option("SERIAL", f.serial, "Serial of the card to supersede")->required();
        issue_flags(c);
      },
      [&f](Client& c) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Json body, IssueBody(f, ""));
        return c.Call("POST", "/v1/cards/" + Seg(f.serial) + "/renew", body);
      },
      HumanIssued);
  Command(
      *card, ctx, "revoke", "Revoke a card (RFC 5280 reason)",
      [&f](CLI::App& c) {
        c.add_option("SERIAL", f.serial, "Serial (hex)")->required();
        c.add_option("--reason", f.reason,
                     "unspecified, keyCompromise, affiliationChanged, superseded, "
                     "cessationOfOperation, certificateHold, privilegeWithdrawn, ...");
      },
      [&f](Client& c) {
        return c.Call("POST", "/v1/cards/" + Seg(f.serial) + "/revoke", {{"reason", f.reason}});
      },
      HumanStatus);
  Command(
      *card, ctx, "status", "Status of a card (good/revoked, reason, validity)",
      [&f](CLI::App& c) { c.add_option("SERIAL", f.serial, "Serial (hex)")->required(); },
      [&f](Client& c) { return c.Call("GET", "/v1/cards/" + Seg(f.serial)); }, HumanStatus);
  Command(
      *card, ctx, "list", "The cards of a character, newest first",
      [&f](CLI::App& c) { c.add_option("CHARACTER_ID", f.id, "Registry ID")->required(); },
      [&f](Client& c) { return c.Call("GET", "/v1/characters/" + Seg(f.id) + "/cards"); },
      [](const Json& j) {
        std::string out;
        for (const auto& c : j["cards"]) out += HumanStatus(c);
        return out.empty() ? std::string("(none)\n") : out;
      });
  auto* get = card->add_subcommand("get", "Download a card: PEM, DER or the full chain");
  get->add_option("SERIAL", f.serial, "Serial (hex)")->required();
  get->add_option("--format", f.format, "pem (default), der or chain");
  get->add_option("--out", f.out, "Output file (default stdout)");
  AddGlobalFlags(*get, ctx);
  get->callback([&ctx, &f] { ctx.Run([&] { return Download(ctx, f); }); });

  auto* mc = app.add_subcommand(
      "member-cert",
      "Issue a member certificate (signs agreements); --new-key makes the key pair here");
  mc->add_option("--org", f.org, "Organization ID (default: yours)");
  mc->add_option("--member", f.member, "Member ID (default: you)");
  issue_flags(*mc);
  mc->add_option("--new-key", f.new_key,
                 "Make a key pair locally, write the private key to this file (PKCS#8 PEM, "
                 "mode 0600; encrypted with VTRUST_KEY_PASSPHRASE if set) and send only a CSR");
  mc->add_option("--out", f.out, "Write the certificate (PEM) to this file");
  AddGlobalFlags(*mc, ctx);
  mc->callback([&ctx, &f] { ctx.Run([&] { return MemberCert(ctx, f); }); });
}

}  // namespace vt::cli
