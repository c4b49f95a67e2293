// `vtrust card issue|renew|revoke|status|get|list` and `vtrust member-cert`
// (docs/id-card-profile.md). `card prove|challenge|render...` join the same `card`
// command from cmd_card_prove.cc.
#include <fstream>
#include <iostream>

#include "app/core/config.h"
#include "base/encoding.h"
#include "cli/context.h"

namespace vt::cli {
namespace {

struct CardFlags {
  std::string id, serial, alg, csr, reason = "unspecified", format = "pem", out, org, member;
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

  Command(
      app, ctx, "member-cert", "Issue a member certificate (signs agreements)",
      [&](CLI::App& c) {
        c.add_option("--org", f.org, "Organization ID")->required();
        c.add_option("--member", f.member, "Member ID")->required();
        issue_flags(c);
      },
      [&f](Client& c) -> StatusOr<Json> {
        VT_ASSIGN_OR_RETURN(Json body, IssueBody(f, "p256"));
        return c.Call(
            "POST", "/v1/orgs/" + Seg(f.org) + "/members/" + Seg(f.member) + "/certificates", body);
      },
      HumanIssued);
}

}  // namespace vt::cli
