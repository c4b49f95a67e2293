// `vtrust agreement create|amend|sign|show|explain` and the rights documents of
// works, `vtrust work transfer|licence|sign-document|documents`
// (docs/agreements.md). Signing happens here, locally: the key never leaves the
// machine; only the certificate and the signature are sent.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/encoding.h"
#include "cli/context.h"
#include "cli/format.h"
#include "crypto/digest.h"
#include "crypto/key.h"
#include "settlement/explain.h"
#include "settlement/terms.h"

namespace vt::cli {
namespace {

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

StatusOr<Json> ReadJsonFile(const std::string& path) {
  VT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto j = ParseJsonStrict(text);
  if (!j.ok()) return InvalidArgumentError(path + ": " + j.status().message());
  return j;
}

std::string VersionLine(const Json& v) {
  std::string awaiting;
  for (const auto& a : v["awaiting"]) awaiting += " " + a.get<std::string>();
  return "  v" + std::to_string(v.value("version", 0)) + "  " + v.value("status", "") + "  " +
         v.value("hash", "") + (awaiting.empty() ? "" : "  awaiting:" + awaiting) + "\n";
}

std::string AgreementText(const Json& a) {
  std::string out = a.value("id", "") + "  " + a.value("title", "") + "  work " +
                    (a["work_id"].is_string() ? a["work_id"].get<std::string>() : "-") + "\n";
  for (const auto& v : a["versions"]) out += VersionLine(v);
  return out;
}

std::string DocumentText(const Json& d) {
  std::string awaiting;
  for (const auto& a : d["awaiting"]) awaiting += " " + a.get<std::string>();
  return d.value("kind", "") + " " + d.value("hash", "") + "  " + d.value("status", "") +
         (awaiting.empty() ? "" : "  awaiting:" + awaiting) + "\n";
}

// Fetches the canonical bytes at `path`, checks they hash to `hash` (the server
// cannot make us sign something else), signs them with the key in `key_file`
// (passphrase from VTRUST_KEY_PASSPHRASE) and posts {certificate, signature}.
Status SignDocument(Context& ctx, const std::string& doc_path, const std::string& hash,
                    const std::string& key_file, const std::string& cert_file) {
  VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
  VT_ASSIGN_OR_RETURN(ApiReply reply, c->Send("GET", doc_path + "?format=canonical", ""));
  if (reply.status != 200)
    return NotFoundError("cannot fetch document " + hash + " (HTTP " +
                         std::to_string(reply.status) + "): " + reply.body);
  if (HexEncode(crypto::Sha256(reply.body)) != hash)
    return DataLossError("the server's document does not hash to " + hash + "; not signing");
  VT_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(key_file));
  const char* pass = std::getenv("VTRUST_KEY_PASSPHRASE");
  VT_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::FromPem(key_pem, pass ? pass : ""));
  VT_ASSIGN_OR_RETURN(std::string cert, ReadFile(cert_file));
  VT_ASSIGN_OR_RETURN(std::string sig, key.Sign(reply.body));
  VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", doc_path + "/signatures",
                                      {{"certificate", cert}, {"signature", Base64Encode(sig)}}));
  ctx.Print(r, [](const Json& j) { return j.contains("kind") ? DocumentText(j) : VersionLine(j); });
  return OkStatus();
}

// One signs a version's hash (what SignDocument checks the fetched bytes against),
// never a number the server could map to other terms. For "--version 2" (or anything
// that is not a SHA-256), names the hash of that version number, if there is one.
Status CheckVersionHash(Context& ctx, const std::string& id, const std::string& version) {
  const bool is_hash =
      version.size() == 64 && version.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (is_hash) return OkStatus();
  std::string msg = "--version takes the version's hash (64 hex digits), not '" + version + "'";
  VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
  auto a = c->Call("GET", "/v1/agreements/" + Seg(id));
  if (a.ok() && a->contains("versions")) {
    for (const auto& v : (*a)["versions"]) {
      if (std::to_string(v.value("version", 0)) == version)
        return InvalidArgumentError(msg + ": version " + version + " of " + id + " is --version " +
                                    v.value("hash", ""))
            .WithField("version");
    }
  }
  return InvalidArgumentError(msg + " (`vtrust agreement show " + id + "` lists them)")
      .WithField("version");
}

void AddAgreementWrites(CLI::App& agr, Context& ctx) {
  static std::string work, terms, title, id, version, key, cert;
  auto* create = agr.add_subcommand("create", "Create an agreement (version 1, pending)");
  create->add_option("--work", work, "The work whose revenue it splits")->required();
  create->add_option("--terms", terms, "Terms JSON file (docs/agreements.md)")->required();
  create->add_option("--title", title, "Title");
  AddGlobalFlags(*create, ctx);
  create->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Json t, ReadJsonFile(terms));
      Json body = {{"work_id", work}, {"terms", t}};
      if (!title.empty()) body["title"] = title;
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", "/v1/agreements", body));
      ctx.Print(r, AgreementText);
      return OkStatus();
    });
  });
  auto* amend = agr.add_subcommand("amend", "Propose new terms (a new pending version)");
  amend->add_option("AGREEMENT", id, "Agreement id")->required();
  amend->add_option("--terms", terms, "Terms JSON file")->required();
  AddGlobalFlags(*amend, ctx);
  amend->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Json t, ReadJsonFile(terms));
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(
          Json r, c->Call("POST", "/v1/agreements/" + Seg(id) + "/versions", {{"terms", t}}));
      ctx.Print(r, VersionLine);
      return OkStatus();
    });
  });
  auto* sign = agr.add_subcommand("sign", "Sign a version locally with your member key");
  sign->add_option("AGREEMENT", id, "Agreement id")->required();
  sign->add_option("--version", version, "The version's hash (`agreement show` lists them)")
      ->required();
  sign->add_option("--key", key, "Your private key (PKCS#8 PEM)")->required();
  sign->add_option("--cert", cert, "Your member certificate (PEM)")->required();
  AddGlobalFlags(*sign, ctx);
  sign->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_RETURN_IF_ERROR(CheckVersionHash(ctx, id, version));
      return SignDocument(ctx, "/v1/agreements/" + Seg(id) + "/versions/" + Seg(version), version,
                          key, cert);
    });
  });
}

std::string AgreementsTable(const Json& j) {
  const Json& list = j.value("agreements", Json::array());
  if (list.empty()) return "no agreements\n";
  Table t({"agreement", "title", "work", "org", "in force", "latest", "awaiting"});
  for (const auto& a : list) {
    const Json& vs = a.value("versions", Json::array());
    std::string in_force = "-", latest = "-", awaiting;
    for (const auto& v : vs)
      if (v.value("status", "") == "in_force")
        in_force = "v" + std::to_string(v.value("version", 0));
    if (!vs.empty()) {
      const Json& v = vs.back();
      latest = "v" + std::to_string(v.value("version", 0)) + " " + v.value("status", "");
      for (const auto& w : v.value("awaiting", Json::array()))
        awaiting += (awaiting.empty() ? "" : " ") + w.get<std::string>();
    }
    t.Add({a.value("id", ""), a.value("title", ""),
           a["work_id"].is_string() ? a["work_id"].get<std::string>() : "-", a.value("org_id", ""),
           in_force, latest, awaiting.empty() ? "-" : awaiting});
  }
  return t.Render();
}

void AddAgreementReads(CLI::App& agr, Context& ctx) {
  static std::string id, version, work, party;
  auto* list = agr.add_subcommand(
      "list", "Agreements you may read (your organization's, and those naming you as a party)");
  list->add_option("--work", work, "Only agreements of this work");
  list->add_option("--party", party, "Only agreements naming this party (org_ or mem_ id)");
  AddGlobalFlags(*list, ctx);
  list->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      std::string q;
      if (!work.empty()) q += "?work=" + Seg(work);
      if (!party.empty()) q += std::string(q.empty() ? "?" : "&") + "party=" + Seg(party);
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/agreements" + q));
      ctx.Print(r, AgreementsTable);
      return OkStatus();
    });
  });
  auto* show = agr.add_subcommand("show", "An agreement: versions, status, signatures");
  show->add_option("AGREEMENT", id, "Agreement id")->required();
  AddGlobalFlags(*show, ctx);
  show->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/agreements/" + Seg(id)));
      ctx.Print(r, AgreementText);
      return OkStatus();
    });
  });
  auto* explain = agr.add_subcommand("explain", "The waterfall in plain words");
  explain->add_option("AGREEMENT", id, "Agreement id")->required();
  explain->add_option("--version", version, "Version hash or number (default: in force)");
  AddGlobalFlags(*explain, ctx);
  explain->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json a, c->Call("GET", "/v1/agreements/" + Seg(id)));
      std::string which =
          version.empty() && a["in_force"].is_string() ? a["in_force"].get<std::string>() : version;
      if (which.empty())
        return FailedPreconditionError("agreement " + id +
                                       " has no version in force; pass --version");
      for (const auto& v : a["versions"]) {
        if (v.value("hash", "") != which && std::to_string(v.value("version", 0)) != which)
          continue;
        VT_ASSIGN_OR_RETURN(auto terms, settlement::Agreement::FromJson(v["document"]["terms"]));
        std::string text = "Agreement " + id + " version " + std::to_string(v.value("version", 0)) +
                           " (" + v.value("status", "") + ", " + v.value("hash", "") + ")\n" +
                           settlement::ExplainAgreement(terms);
        ctx.Print({{"agreement", id},
                   {"version", v["version"]},
                   {"hash", v["hash"]},
                   {"status", v["status"]},
                   {"explanation", text}},
                  [text](const Json&) { return text; });
        return OkStatus();
      }
      return NotFoundError("agreement " + id + " has no version " + which);
    });
  });
}

void AddWorkDocuments(CLI::App& work, Context& ctx) {
  static std::string id, right, from, to, licensee, pfrom, pto, hash, key, cert;
  static int64_t share = 0;
  static std::vector<std::string> territories, channels;
  static bool exclusive = false;
  auto* tr = work.add_subcommand("transfer", "Propose a transfer of a right's share");
  tr->add_option("WORK", id, "Work id")->required();
  tr->add_option("--right", right, "copyright, likeness, performance or neighbouring")->required();
  tr->add_option("--from", from, "The current holder (org_ or mem_ id)")->required();
  tr->add_option("--to", to, "The new holder")->required();
  tr->add_option("--share-bp", share, "Basis points moved (1..held)")->required();
  AddGlobalFlags(*tr, ctx);
  tr->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(
          Json r, c->Call("POST", "/v1/works/" + Seg(id) + "/transfers",
                          {{"right", right}, {"from", from}, {"to", to}, {"share_bp", share}}));
      ctx.Print(r, DocumentText);
      return OkStatus();
    });
  });
  auto* li = work.add_subcommand("licence", "Propose a licence of a right");
  li->add_option("WORK", id, "Work id")->required();
  li->add_option("--right", right, "The right licensed")->required();
  li->add_option("--licensee", licensee, "org_ or mem_ id")->required();
  li->add_option("--territory", territories, "ISO 3166 alpha-2 (repeatable; none = worldwide)");
  li->add_option("--channel", channels, "Channel token (repeatable; none = all)");
  li->add_option("--from", pfrom, "First day YYYY-MM-DD")->required();
  li->add_option("--to", pto, "Last day YYYY-MM-DD")->required();
  li->add_flag("--exclusive", exclusive, "Exclusive in its scope");
  AddGlobalFlags(*li, ctx);
  li->callback([&ctx] {
    ctx.Run([&]() -> Status {
      Json scope = {{"territory", territories},
                    {"channel", channels},
                    {"period", {{"from", pfrom}, {"to", pto}}}};
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", "/v1/works/" + Seg(id) + "/licences",
                                          {{"right", right},
                                           {"licensee", licensee},
                                           {"scope", scope},
                                           {"exclusive", exclusive}}));
      ctx.Print(r, DocumentText);
      return OkStatus();
    });
  });
  auto* sg = work.add_subcommand("sign-document", "Sign a pending transfer or licence locally");
  sg->alias("sign-transfer");
  sg->add_option("WORK", id, "Work id")->required();
  sg->add_option("--document", hash, "The document's hash")->required();
  sg->add_option("--key", key, "Your private key (PKCS#8 PEM)")->required();
  sg->add_option("--cert", cert, "Your member certificate (PEM)")->required();
  AddGlobalFlags(*sg, ctx);
  sg->callback([&ctx] {
    ctx.Run([&]() -> Status {
      return SignDocument(ctx, "/v1/works/" + Seg(id) + "/documents/" + Seg(hash), hash, key, cert);
    });
  });
  auto* ls = work.add_subcommand("documents", "Transfers and licences of a work");
  ls->add_option("WORK", id, "Work id")->required();
  AddGlobalFlags(*ls, ctx);
  ls->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/works/" + Seg(id) + "/documents"));
      ctx.Print(r, [](const Json& j) {
        std::string out;
        for (const auto& d : j["documents"]) out += DocumentText(d);
        return out.empty() ? std::string("(none)\n") : out;
      });
      return OkStatus();
    });
  });
}

}  // namespace

void AddAgreementCommands(CLI::App& app, Context& ctx) {
  auto* agr = app.add_subcommand("agreement", "Versioned, signed split agreements");
  agr->require_subcommand(1);
  AddAgreementWrites(*agr, ctx);
  AddAgreementReads(*agr, ctx);
  CLI::App* work = nullptr;
  try {
    work = app.get_subcommand("work");
  } catch (const CLI::OptionNotFound&) {
    work = app.add_subcommand("work", "Works and their rights holders");
  }
  AddWorkDocuments(*work, ctx);
}

}  // namespace vt::cli
