// PKCS#10 certificate signing requests (RFC 2986) as proof of possession.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/key.h"

namespace vt::x509 {

// Parses a CSR (PEM "CERTIFICATE REQUEST" or DER), verifies its
// self-signature (SM2 with the vtrust distinguishing ID 1234567812345678, as
// `openssl req -sigopt distid:1234567812345678` writes it) and returns its
// public key. InvalidArgument with field "csr" if it does not parse, the
// signature does not verify, or the key is not of `expected_alg`.
StatusOr<crypto::PublicKey> VerifyCsr(std::string_view csr, crypto::KeyAlg expected_alg);

// A PKCS#10 request (PEM) with an empty subject for `key`, self-signed as proof
// of possession (P-256 with SHA-256; Ed25519; SM2 with SM3 and the vtrust
// distinguishing ID). VerifyCsr accepts what this makes.
StatusOr<std::string> MakeCsrPem(const crypto::PrivateKey& key);

// A minimal PKCS#10 request (empty subject) self-signed by `key` (P-256 or Ed25519),
// DER: the proof of possession of a key the caller keeps (the demo's card holder).
// InvalidArgument for SM2 keys; Internal if OpenSSL fails.
StatusOr<std::string> MakeCsr(const crypto::PrivateKey& key);

}  // namespace vt::x509
