#include "x509/sign_internal.h"

#include "base/rng.h"
#include "x509/der.h"

namespace vt::x509::internal {
namespace {

const EVP_MD* DigestFor(crypto::KeyAlg alg) {
  switch (alg) {
    case crypto::KeyAlg::kP256:
      return EVP_sha256();
    case crypto::KeyAlg::kEd25519:
      return nullptr;
    case crypto::KeyAlg::kSm2:
      return EVP_sm3();
  }
  return nullptr;
}

// Sets the SM2 ID on the context DigestSign/VerifyInit created (owned by
// mctx); OpenSSL 3 accepts it until the first update.
Status SetSm2Id(EVP_PKEY_CTX* pctx) {
  const std::string_view id = crypto::kSm2DistinguishingId;
  if (EVP_PKEY_CTX_set1_id(pctx, id.data(), static_cast<int>(id.size())) != 1) {
    return ossl::Error(InternalError, "setting the SM2 distinguishing ID");
  }
  return OkStatus();
}

}  // namespace

Status InitDigestSign(EVP_MD_CTX* mctx, EVP_PKEY* pkey, crypto::KeyAlg alg) {
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestSignInit(mctx, &pctx, DigestFor(alg), nullptr, pkey) != 1) {
    return ossl::Error(InternalError, "EVP_DigestSignInit");
  }
  return alg == crypto::KeyAlg::kSm2 ? SetSm2Id(pctx) : OkStatus();
}

Status InitDigestVerify(EVP_MD_CTX* mctx, EVP_PKEY* pkey, crypto::KeyAlg alg) {
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestVerifyInit(mctx, &pctx, DigestFor(alg), nullptr, pkey) != 1) {
    return ossl::Error(InternalError, "EVP_DigestVerifyInit");
  }
  return alg == crypto::KeyAlg::kSm2 ? SetSm2Id(pctx) : OkStatus();
}

StatusOr<ThrowawayKey> ThrowawayKey::Generate(crypto::KeyAlg alg) {
  VT_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::Generate(alg));
  return ThrowawayKey(std::move(key));
}

StatusOr<ossl::EvpMdCtxPtr> ThrowawayKey::NewSignContext() const {
  ossl::EvpMdCtxPtr mctx(EVP_MD_CTX_new());
  if (!mctx) return ossl::Error(InternalError, "EVP_MD_CTX_new");
  VT_RETURN_IF_ERROR(InitDigestSign(mctx.get(), key_.evp(), key_.alg()));
  return mctx;
}

std::string SignatureAlgorithmDer(crypto::KeyAlg alg) {
  switch (alg) {
    case crypto::KeyAlg::kP256:  // 1.2.840.10045.4.3.2 (RFC 5758 §3.2)
      return der::Sequence(der::Tlv(der::kOid, "\x2a\x86\x48\xce\x3d\x04\x03\x02"));
    case crypto::KeyAlg::kEd25519:  // 1.3.101.112 (RFC 8410 §3)
      return der::Sequence(der::Tlv(der::kOid, "\x2b\x65\x70"));
    case crypto::KeyAlg::kSm2:  // 1.2.156.10197.1.501 (GM/T 0006)
      return der::Sequence(der::Tlv(der::kOid, "\x2a\x81\x1c\xcf\x55\x01\x83\x75"));
  }
  std::abort();
}

StatusOr<std::string> SignVerified(crypto::Signer& signer, const crypto::PublicKey& issuer_key,
                                   std::string_view tbs) {
  auto sig = signer.Sign(tbs);
  if (!sig.ok()) return std::move(sig).status().Annotate("signer " + signer.Describe());
  if (!issuer_key.Verify(tbs, *sig).ok()) {
    return InternalError("signer " + signer.Describe() +
                         " produced a signature that does not verify under the expected key");
  }
  return sig;
}

StatusOr<std::string> SignAndAssemble(crypto::Signer& signer, const crypto::PublicKey& issuer_key,
                                      std::string_view tbs, std::string_view alg_der) {
  VT_ASSIGN_OR_RETURN(std::string sig, SignVerified(signer, issuer_key, tbs));
  std::string body(tbs);
  body += alg_der;
  body += der::BitString(sig);
  return der::Sequence(body);
}

std::string RandomSerial(Rng& rng) {
  std::string serial(16, '\0');
  auto* p = reinterpret_cast<uint8_t*>(serial.data());
  do {
    rng.Fill(p, serial.size());
    p[0] &= 0x7f;
  } while (p[0] == 0);
  return serial;
}

}  // namespace vt::x509::internal
