// Internal to the crypto module: helpers shared by key.cc, key_codec.cc,
// key_sign.cc and the PKCS#11 signer.
#pragma once

#include <openssl/evp.h>

#include "base/status.h"
#include "crypto/key.h"
#include "crypto/ossl.h"

namespace vt::crypto::internal {

// Wraps an owned key (the caller's reference moves in) for sharing between
// copies of PublicKey/PrivateKey.
std::shared_ptr<EVP_PKEY> ShareKey(ossl::EvpPkeyPtr key);

// P-256 = type "EC" on group "prime256v1"; SM2 = type "SM2"; Ed25519.
// InvalidArgument for anything else.
StatusOr<KeyAlg> DetectAlg(const EVP_PKEY* pkey);
bool HasPrivatePart(const EVP_PKEY* pkey, KeyAlg alg);
// A copy without the private part (via SubjectPublicKeyInfo); null on failure.
ossl::EvpPkeyPtr PublicOnlyCopy(EVP_PKEY* pkey);

// A DigestSign (sign=true) or DigestVerify context for `alg` over `pkey`:
// SHA-256 for P-256, none (pure EdDSA) for Ed25519, SM3 with the
// distinguishing ID kSm2DistinguishingId set explicitly for SM2.
StatusOr<ossl::EvpMdCtxPtr> NewSignatureContext(EVP_PKEY* pkey, KeyAlg alg, bool sign);

}  // namespace vt::crypto::internal
