// Signature verification under a SubjectPublicKeyInfo for the algorithms
// other implementations sign C2PA manifests with (C2PA 2.2 §13.2.1): ECDSA on
// P-256/P-384/P-521 and RSASSA-PSS. vtrust's own keys (key.h) stay P-256,
// Ed25519 and SM2; this is for checking signatures made elsewhere.
#pragma once

#include <string_view>

#include "base/status.h"

namespace vt::crypto {

enum class SigScheme {
  kEcdsaSha256,  // ES256 (any of the three curves, as COSE allows)
  kEcdsaSha384,  // ES384
  kEcdsaSha512,  // ES512
  kPssSha256,    // PS256: RSASSA-PSS, MGF1 with the same hash, salt = hash length
  kPssSha384,    // PS384
  kPssSha512,    // PS512
  kEd25519,      // EdDSA on Ed25519
};

// OK if `signature` (DER ECDSA-Sig-Value for ECDSA, raw otherwise) verifies
// over `message` under `spki_der`. InvalidArgument "unsupported key" if the
// key does not fit the scheme (an RSA key under 2048 bits included), and
// "signature mismatch" otherwise. Thread-safe.
Status VerifyWithSpki(std::string_view spki_der, SigScheme scheme, std::string_view message,
                      std::string_view signature);

}  // namespace vt::crypto
