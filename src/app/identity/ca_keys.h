// Where the CA's (and custodial) private keys live, named by a key reference
// stored in the database (cas.key_ref, certificates.key_ref; migration 5):
//
//   "secrets:<name>"                     a key sealed under the data directory's
//                                        key-encryption key, DIR/secrets/<name>.key
//                                        (service/secrets.h)
//   "pkcs11:token=<label>;object=<label>" a key pair inside a PKCS#11 token
//                                        (crypto/pkcs11_signer.h); the module is
//                                        Config::pkcs11_module (default SoftHSM2),
//                                        the user PIN comes from the environment
//                                        variable VTRUST_PKCS11_PIN
//
// The private key never leaves a token; sealed keys are decrypted only in memory.
#pragma once

#include <memory>
#include <string>

#include "app/core/config.h"
#include "base/status.h"
#include "crypto/key.h"
#include "crypto/signer.h"

namespace vt::app {

inline constexpr const char* kPkcs11PinEnv = "VTRUST_PKCS11_PIN";

// A parsed key reference. Exactly one of secret_name / (token, object) is set.
struct KeyRef {
  std::string secret_name;  // "secrets:<name>"
  std::string token;        // "pkcs11:token=<token>;object=<object>"
  std::string object;
  bool is_pkcs11() const { return !token.empty(); }
  std::string ToString() const;
};

// InvalidArgument (field "key_ref") for anything but the two forms above.
// Names are [A-Za-z0-9._-]{1,64} (no path separators).
StatusOr<KeyRef> ParseKeyRef(const std::string& key_ref);
std::string SecretKeyRef(const std::string& name);  // "secrets:<name>"
std::string Pkcs11KeyRef(const std::string& token, const std::string& object);

// Opens the signer behind `key_ref`. Tokens are opened once per process and
// shared (one logged-in session per module and token label; thread-safe).
// NotFound: no such sealed key / token / object. PermissionDenied: wrong PIN
// (or a wrong key-encryption key). FailedPrecondition: a pkcs11 reference
// without VTRUST_PKCS11_PIN set. Unimplemented: a token key of an algorithm
// PKCS#11 cannot sign with (SM2). Thread-safe.
StatusOr<std::shared_ptr<crypto::Signer>> OpenKeyRef(const Config& config,
                                                     const std::string& key_ref);

// The software key behind a sealed reference ("secrets:<name>"), for code that
// must hand OpenSSL the key itself (the RFC 3161 responder). Unimplemented for
// a PKCS#11 reference; errors otherwise as OpenKeyRef.
StatusOr<crypto::PrivateKey> OpenSoftwareKey(const Config& config, const std::string& key_ref);

// Creates a new key of `alg` behind a fresh reference: sealed as
// "secrets:<name>" when `token` is empty, otherwise generated inside the token
// as object `name` (P-256 and Ed25519 only: Unimplemented for SM2).
// AlreadyExists if the name is taken. Returns the reference and its signer.
struct CreatedKey {
  std::string key_ref;
  std::shared_ptr<crypto::Signer> signer;
};
StatusOr<CreatedKey> CreateKey(const Config& config, crypto::KeyAlg alg, const std::string& name,
                               const std::string& token = "");

}  // namespace vt::app
