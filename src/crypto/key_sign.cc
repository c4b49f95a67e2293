// Signing and verification (key.h): ECDSA P-256 with SHA-256, pure Ed25519
// (RFC 8032 §5.1.6), SM2 with SM3 (GB/T 32918.2 §6) and the GM/T 0009 default
// distinguishing ID.
#include <openssl/evp.h>

#include "crypto/key.h"
#include "crypto/key_internal.h"

namespace vt::crypto {

namespace internal {

StatusOr<ossl::EvpMdCtxPtr> NewSignatureContext(EVP_PKEY* pkey, KeyAlg alg, bool sign) {
  ossl::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) std::abort();
  const char* md = alg == KeyAlg::kP256 ? "SHA256" : alg == KeyAlg::kSm2 ? "SM3" : nullptr;
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  int rc = sign ? EVP_DigestSignInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, pkey, nullptr)
                : EVP_DigestVerifyInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, pkey, nullptr);
  if (rc != 1) return ossl::Error(InternalError, "signature context init");
  if (alg == KeyAlg::kSm2) {
    // Set on every context: OpenSSL 3's default ID is empty, not GM/T 0009's.
    // Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) is computed at the
    // first update, after this call.
    if (EVP_PKEY_CTX_set1_id(pctx, kSm2DistinguishingId.data(), kSm2DistinguishingId.size()) != 1) {
      return ossl::Error(InternalError, "setting the SM2 distinguishing ID");
    }
  }
  return ctx;
}

}  // namespace internal

StatusOr<std::string> PrivateKey::Sign(std::string_view message) const {
  VT_ASSIGN_OR_RETURN(ossl::EvpMdCtxPtr ctx,
                      internal::NewSignatureContext(key_.get(), alg_, /*sign=*/true));
  const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, msg, message.size()) != 1) {
    return ossl::Error(InternalError, "signing (size)");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, msg,
                     message.size()) != 1) {
    return ossl::Error(InternalError, "signing");
  }
  sig.resize(len);  // DER signatures are often shorter than the maximum
  return sig;
}

Status PublicKey::Verify(std::string_view message, std::string_view signature) const {
  VT_ASSIGN_OR_RETURN(ossl::EvpMdCtxPtr ctx,
                      internal::NewSignatureContext(key_.get(), alg_, /*sign=*/false));
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ossl::DrainErrors();  // a bad signature leaves decoding errors behind
  if (rc != 1) return InvalidArgumentError("signature mismatch");
  return OkStatus();
}

}  // namespace vt::crypto
