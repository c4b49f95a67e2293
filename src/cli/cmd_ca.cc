// `vtrust ca init|roots` (docs/id-card-profile.md; docs/operations.md "Certification
// authority").
#include <iostream>

#include "api/routes.h"
#include "cli/ca_setup.h"
#include "cli/context.h"
#include "server/config_file.h"
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
  return api::WithReceipts({{"cas", cas}}, w.receipts);
}

namespace {

std::string HumanInit(const Json& j) {
  std::string out = "certification authority created:\n";
  for (const auto& c : j["cas"])
    out += "  " + c.value("id", "") + "  key " + c.value("key_ref", "") + "\n";
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

}  // namespace vt::cli
