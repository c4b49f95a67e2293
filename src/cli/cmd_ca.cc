// `vtrust ca init|roots|rotate-issuing` and `vtrust kek move-out`
// (docs/id-card-profile.md; docs/operations.md "Certification authority",
// "Key-encryption key", "Offline roots").
#include <iostream>

#include "api/routes.h"
#include "app/identity/root_keys.h"
#include "cli/ca_setup.h"
#include "cli/context.h"
#include "server/config_file.h"
#include "server/kek_location.h"
#include "server/root.h"

namespace vt::cli {

StatusOr<Json> SetUpCa(const std::string& data_dir, const CaSetupOptions& options,
                       const Clock& clock, Rng& rng) {
  if (!options.pkcs11_module.empty()) {
    VT_ASSIGN_OR_RETURN(app::Config cfg, server::LoadConfig(data_dir));
    cfg.pkcs11_module = options.pkcs11_module;
    VT_RETURN_IF_ERROR(server::SaveConfig(cfg));
  }
  VT_ASSIGN_OR_RETURN(auto components, server::OpenComponents(data_dir, clock, rng));
  VT_ASSIGN_OR_RETURN(app::Principal p, components->service().LocalPrincipal());
  VT_ASSIGN_OR_RETURN(auto w, components->pki().InitCa(p, {options.pkcs11_token}));
  Json cas = Json::array();
  for (const auto& r : w.value) cas.push_back(r.ToJson());
  // Offline roots: the root keys have signed the issuing CAs; they leave DIR.
  std::string path = options.root_export;
  if (path.empty()) {
    VT_ASSIGN_OR_RETURN(path, server::DefaultRootExportPath(components->service().config(), rng));
  }
  VT_ASSIGN_OR_RETURN(app::RootExport exported, app::ExportRootKeys(components->service(), path));
  Json out = {{"cas", cas}};
  if (!exported.path.empty())
    out["root_export"] = {{"path", exported.path}, {"cas", exported.ca_ids}};
  return api::WithReceipts(out, w.receipts);
}

void AddKekFlags(CLI::App& cmd, KekFlags& flags) {
  cmd.add_option("--kek", flags.kek,
                 "Where the key-encryption key comes from: file:/PATH (created if missing), "
                 "env:NAME or credential:NAME (systemd); default: a new file in "
                 "$XDG_CONFIG_HOME/vtrust/ (~/.config/vtrust/)");
  cmd.add_flag("--insecure-local-kek", flags.insecure_local,
               "Keep the key-encryption key in DIR/secrets/kek (tests only: a copy of DIR "
               "then opens every key; serve needs --insecure-local-kek too)");
  cmd.add_option("--root-export", flags.root_export,
                 "File the root CA keys are moved to once they have signed the issuing CAs "
                 "(default: next to the KEK)");
}

void AddKekReport(Json& out, const std::string& kek, const Json& ca) {
  out["kek"] = kek.empty() ? "local" : kek;
  if (ca.is_object() && ca.contains("root_export")) out["root_export"] = ca["root_export"];
}

std::string HumanKekReport(const Json& out) {
  std::string kek = out.value("kek", "local");
  std::string s =
      kek == "local"
          ? "key-encryption key: inside the data directory (secrets/kek; insecure, tests only)\n"
          : "key-encryption key: " + kek +
                " (outside the data directory: back it up separately, never next to it)\n";
  if (out.contains("root_export"))
    s += "root CA keys moved to " + out["root_export"].value("path", "") +
         " (keep it offline; `vtrust ca rotate-issuing --root-key FILE` uses it)\n";
  return s;
}

namespace {

std::string HumanInit(const Json& j) {
  std::string out = "certification authority created:\n";
  for (const auto& c : j["cas"])
    out += "  " + c.value("id", "") + "  key " + c.value("key_ref", "") + "\n";
  if (j.contains("root_export"))
    out += "root CA keys moved to " + j["root_export"].value("path", "") +
           " (keep it offline; `vtrust ca rotate-issuing --root-key FILE` uses it)\n";
  return out;
}

}  // namespace

void AddCaCommands(CLI::App& app, Context& ctx) {
  auto* ca = app.add_subcommand("ca", "The certification authority");
  ca->require_subcommand(1);

  static CaSetupOptions opts;
  auto* init = ca->add_subcommand(
      "init", "Create the roots, issuing CAs and OCSP signers (p256, ed25519, sm2) in --data DIR");
  init->add_option("--pkcs11-token", opts.pkcs11_token,
                   "Keep the p256/ed25519 root and issuing keys in this PKCS#11 token "
                   "(PIN from VTRUST_PKCS11_PIN)");
  init->add_option("--pkcs11-module", opts.pkcs11_module,
                   "PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so); saved to config");
  init->add_option("--root-export", opts.root_export,
                   "File the root CA keys are moved to once they have signed the issuing CAs "
                   "(default: next to the KEK)");
  AddGlobalFlags(*init, ctx);
  init->callback([&ctx] {
    ctx.Run([&]() -> Status {
      if (ctx.data_dir.empty() || !ctx.server.empty())
        return InvalidArgumentError("ca init works on the data directory: --data DIR")
            .WithField("data");
      VT_ASSIGN_OR_RETURN(Json out, SetUpCa(ctx.data_dir, opts, ctx.clock, ctx.rng));
      ctx.Print(out, HumanInit);
      return OkStatus();
    });
  });

  static std::string root_key, rotate_alg = "p256";
  auto* rotate = ca->add_subcommand(
      "rotate-issuing",
      "Key ceremony: a new issuing CA (and OCSP signer) signed by the offline root; the old "
      "issuing CA keeps validating its cards until they expire");
  rotate
      ->add_option("--root-key", root_key,
                   "The root key export file written by init/ca init, or pkcs11:token=..;object=..")
      ->required();
  rotate->add_option("--alg", rotate_alg, "p256 (default), ed25519 or sm2");
  AddGlobalFlags(*rotate, ctx);
  rotate->callback([&ctx] {
    ctx.Run([&]() -> Status {
      if (ctx.data_dir.empty() || !ctx.server.empty())
        return InvalidArgumentError("ca rotate-issuing works on the data directory: --data DIR")
            .WithField("data");
      VT_ASSIGN_OR_RETURN(crypto::KeyAlg alg, app::ParseCardAlg(rotate_alg));
      VT_ASSIGN_OR_RETURN(auto components,
                          server::OpenComponents(ctx.data_dir, ctx.clock, ctx.rng));
      const app::Config& config = components->service().config();
      VT_ASSIGN_OR_RETURN(auto root,
                          app::OpenRootKey(config, root_key, app::CaId(alg, app::CaKind::kRoot)));
      VT_ASSIGN_OR_RETURN(app::Principal p, components->service().LocalPrincipal());
      VT_ASSIGN_OR_RETURN(auto w, components->pki().RotateIssuing(p, alg, root));
      Json cas = Json::array();
      for (const auto& r : w.value) cas.push_back(r.ToJson());
      ctx.Print(api::WithReceipts({{"cas", cas}}, w.receipts), [](const Json& j) {
        std::string out = "new issuing CA (restart running servers to issue from it):\n";
        for (const auto& c : j["cas"])
          out += "  " + c.value("id", "") + "  key " + c.value("key_ref", "") + "\n";
        return out;
      });
      return OkStatus();
    });
  });

  auto* roots = ca->add_subcommand("roots", "The root certificates (PEM) by algorithm");
  AddGlobalFlags(*roots, ctx);
  roots->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/ca/roots"));
      ctx.Print(r, [](const Json& j) {
        std::string out;
        for (const auto& [alg, pem] : j.items()) out += "# " + alg + "\n" + pem.get<std::string>();
        return out;
      });
      return OkStatus();
    });
  });
}

void AddKekCommands(CLI::App& app, Context& ctx) {
  auto* kek = app.add_subcommand("kek", "The key-encryption key of a data directory");
  kek->require_subcommand(1);
  static std::string to;
  auto* move = kek->add_subcommand(
      "move-out",
      "Move DIR/secrets/kek out of the data directory and record its place in config.toml");
  move->add_option("--to", to,
                   "Absolute path of the new KEK file (default: a new file in "
                   "$XDG_CONFIG_HOME/vtrust/)");
  AddGlobalFlags(*move, ctx);
  move->callback([&ctx] {
    ctx.Run([&]() -> Status {
      if (ctx.data_dir.empty())
        return InvalidArgumentError("kek move-out needs --data DIR").WithField("data");
      VT_ASSIGN_OR_RETURN(std::string path, server::MoveKekOut(ctx.data_dir, to, ctx.rng));
      ctx.Print({{"kek", "file:" + path}}, [&](const Json&) {
        return "key-encryption key moved to " + path +
               " (recorded in config.toml; back it up separately from the data directory)\n";
      });
      return OkStatus();
    });
  });
}

}  // namespace vt::cli
