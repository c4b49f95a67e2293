// Setting up the CA of a data directory (local mode only: whoever holds the
// directory holds the keys). Used by `vtrust ca init` and `vtrust init`.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"

namespace vt::cli {

struct CaSetupOptions {
  std::string pkcs11_token;   // empty: every key sealed in DIR/secrets
  std::string pkcs11_module;  // empty: keep the configured one (default SoftHSM2)
};

// Creates the root, issuing and OCSP-signing CAs of p256, ed25519 and sm2
// (app::Pki::InitCa) in the data directory `data_dir`. A non-empty
// pkcs11_module is saved to the config first (the server opens the same
// module). FailedPrecondition if the CA exists. Returns {"cas": [{id, alg,
// kind, key_ref, created_at, certificate}], "receipt": ...}. `clock` and `rng`
// open the data directory (server::OpenComponents).
StatusOr<Json> SetUpCa(const std::string& data_dir, const CaSetupOptions& options,
                       const Clock& clock, Rng& rng);

}  // namespace vt::cli
