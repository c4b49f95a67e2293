// Internal to the crypto module: helpers shared by key.cc, key_codec.cc,
// key_sign.cc and the PKCS#11 signer.
#pragma once

#include <openssl/evp.h>

#include "base/status.h"
#include "crypto/key.h"
#include "crypto/ossl_util.h"

namespace vt::crypto::internal {

// P-256 = type "EC" on group "prime256v1"; SM2 = type "SM2"; Ed25519.
// InvalidArgument for anything else.
StatusOr<KeyAlg> DetectAlg(const EVP_PKEY* pkey);
bool HasPrivatePart(const EVP_PKEY* pkey, KeyAlg alg);
// A copy without the private part (via SubjectPublicKeyInfo); null on failure.
EvpPkeyPtr PublicOnlyCopy(EVP_PKEY* pkey);

// A DigestSign (sign=true) or DigestVerify context for `alg` over `pkey`:
// SHA-256 for P-256, none (pure EdDSA) for Ed25519, SM3 with the
// distinguishing ID kSm2DistinguishingId set explicitly for SM2.
StatusOr<EvpMdCtxPtr> NewSignatureContext(EVP_PKEY* pkey, KeyAlg alg, bool sign);

}  // namespace vt::crypto::internal
