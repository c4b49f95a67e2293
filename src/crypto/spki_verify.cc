#include "crypto/spki_verify.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/ossl.h"

namespace vt::crypto {
namespace {

const EVP_MD* DigestOf(SigScheme s) {
  switch (s) {
    case SigScheme::kEcdsaSha256:
    case SigScheme::kPssSha256:
      return EVP_sha256();
    case SigScheme::kEcdsaSha384:
    case SigScheme::kPssSha384:
      return EVP_sha384();
    case SigScheme::kEcdsaSha512:
    case SigScheme::kPssSha512:
      return EVP_sha512();
    case SigScheme::kEd25519:
      return nullptr;
  }
  return nullptr;
}

bool KeyFits(EVP_PKEY* key, SigScheme s) {
  switch (s) {
    case SigScheme::kEcdsaSha256:
    case SigScheme::kEcdsaSha384:
    case SigScheme::kEcdsaSha512:
      return EVP_PKEY_is_a(key, "EC");
    case SigScheme::kPssSha256:
    case SigScheme::kPssSha384:
    case SigScheme::kPssSha512:
      return (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS")) &&
             EVP_PKEY_get_bits(key) >= 2048;
    case SigScheme::kEd25519:
      return EVP_PKEY_is_a(key, "ED25519");
  }
  return false;
}

bool IsPss(SigScheme s) {
  return s == SigScheme::kPssSha256 || s == SigScheme::kPssSha384 || s == SigScheme::kPssSha512;
}

}  // namespace

Status VerifyWithSpki(std::string_view spki_der, SigScheme scheme, std::string_view message,
                      std::string_view signature) {
  const auto* p = reinterpret_cast<const unsigned char*>(spki_der.data());
  ossl::EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key || !KeyFits(key.get(), scheme)) {
    ossl::DrainErrors();
    return InvalidArgumentError("unsupported key for this signature algorithm");
  }
  ossl::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, DigestOf(scheme), nullptr, key.get()) == 1;
  if (ok && IsPss(scheme)) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, DigestOf(scheme)) == 1;
  }
  ok = ok &&
       EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                        signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                        message.size()) == 1;
  ossl::DrainErrors();
  if (!ok) return InvalidArgumentError("signature mismatch");
  return OkStatus();
}

}  // namespace vt::crypto
