// Setting up the CA of a data directory (local mode only: whoever holds the
// directory holds the keys). Used by `vtrust ca init` and `vtrust init`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "base/clock.h"
#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"

namespace vt::cli {

struct CaSetupOptions {
  std::string pkcs11_token;   // empty: every key sealed in DIR/secrets
  std::string pkcs11_module;  // empty: keep the configured one (default SoftHSM2)
  // Where the root keys go once they have signed the issuing CAs (offline
  // roots, app/identity/root_keys.h); empty: server::DefaultRootExportPath.
  std::string root_export;
};

// The KEK and offline-root flags of `vtrust init` (docs/operations.md).
struct KekFlags {
  std::string kek;              // --kek file:/PATH | env:NAME | credential:NAME
  bool insecure_local = false;  // --insecure-local-kek: DIR/secrets/kek
  std::string root_export;      // --root-export FILE
};
void AddKekFlags(CLI::App& cmd, KekFlags& flags);
// Adds "kek" (the Config::kek value, or "local") and "root_export" (from the
// SetUpCa result `ca`, if any) to init's JSON output.
void AddKekReport(Json& out, const std::string& kek, const Json& ca);
// The human lines of that report: where the KEK is, where the root keys went.
std::string HumanKekReport(const Json& out);

// Creates the root, issuing and OCSP-signing CAs of p256, ed25519 and sm2
// (app::Pki::InitCa) in the data directory `data_dir`. A non-empty
// pkcs11_module is saved to the config first (the server opens the same
// module). FailedPrecondition if the CA exists. Returns {"cas": [{id, alg,
// kind, key_ref, created_at, certificate}], "root_export": {"path", "cas"},
// "receipt": ...}: the sealed root keys are moved from DIR/secrets to the
// export file once the issuing CAs are signed. `clock` and `rng` open the data
// directory (server::OpenComponents).
StatusOr<Json> SetUpCa(const std::string& data_dir, const CaSetupOptions& options,
                       const Clock& clock, Rng& rng);

}  // namespace vt::cli
