// Internal to the x509 module: the pieces of "sign through crypto::Signer".
// OpenSSL builds every to-be-signed structure; its signature algorithm fields
// are filled by signing a throwaway copy with a throwaway key of the same
// algorithm; the real signature comes from the Signer and the outer
// SEQUENCE { tbs, algorithm, BIT STRING } is assembled here.
#pragma once

#include <string>
#include <string_view>

#include "base/rng.h"
#include "crypto/key.h"
#include "crypto/ossl.h"
#include "crypto/signer.h"

namespace vt::x509::internal {

// Prepares `mctx` for EVP_DigestSign with `pkey`: SHA-256 for P-256, none
// for Ed25519, SM3 plus the distinguishing ID 1234567812345678 for SM2.
Status InitDigestSign(EVP_MD_CTX* mctx, EVP_PKEY* pkey, crypto::KeyAlg alg);
// Same for verification.
Status InitDigestVerify(EVP_MD_CTX* mctx, EVP_PKEY* pkey, crypto::KeyAlg alg);

// A software key used only to sign lint copies; never trusted by anyone.
class ThrowawayKey {
 public:
  static StatusOr<ThrowawayKey> Generate(crypto::KeyAlg alg);
  crypto::KeyAlg alg() const { return key_.alg(); }
  // A fresh signing context over this key. Thread-safe.
  StatusOr<ossl::EvpMdCtxPtr> NewSignContext() const;

 private:
  explicit ThrowawayKey(crypto::PrivateKey key) : key_(std::move(key)) {}
  crypto::PrivateKey key_;
};

// The AlgorithmIdentifier DER for signatures by a key of `alg`:
// ecdsa-with-SHA256, Ed25519 or SM2-with-SM3, parameters absent.
std::string SignatureAlgorithmDer(crypto::KeyAlg alg);

// Signs `tbs` with `signer` and checks the signature against `issuer_key`;
// returns the signature.
StatusOr<std::string> SignVerified(crypto::Signer& signer, const crypto::PublicKey& issuer_key,
                                   std::string_view tbs);

// Signs `tbs` with `signer`, checks the signature against `issuer_key` (a
// wrong key in a token or a faulty signature never leaves the CA) and returns
// SEQUENCE { tbs, alg_der, BIT STRING signature }.
StatusOr<std::string> SignAndAssemble(crypto::Signer& signer, const crypto::PublicKey& issuer_key,
                                      std::string_view tbs, std::string_view alg_der);

// 16 random octets from `rng`, top bit clear and first octet nonzero (a
// positive INTEGER of exactly 16 content octets).
std::string RandomSerial(Rng& rng);

}  // namespace vt::x509::internal
