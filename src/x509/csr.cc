#include "x509/csr.h"

#include <openssl/pem.h>

#include "crypto/ossl.h"

namespace vt::x509 {
namespace {

Status BadCsr(std::string msg) {
  ossl::ClearErrors();
  return InvalidArgumentError("csr: " + std::move(msg)).WithField("csr");
}

ossl::X509ReqPtr ParseCsr(std::string_view text) {
  if (text.find("-----BEGIN") != std::string_view::npos) {
    ossl::BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    return ossl::X509ReqPtr(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr)
                                : nullptr);
  }
  return ossl::ParseDerExact<ossl::X509ReqPtr>(text, d2i_X509_REQ);
}

}  // namespace

StatusOr<crypto::PublicKey> VerifyCsr(std::string_view csr, crypto::KeyAlg expected_alg) {
  ossl::X509ReqPtr req = ParseCsr(csr);
  if (!req) return BadCsr("not a PKCS#10 request");
  EVP_PKEY* pkey = X509_REQ_get0_pubkey(req.get());
  if (pkey == nullptr) return BadCsr("no public key");
  auto key = crypto::PublicKey::FromEvp(pkey);
  if (!key.ok()) return BadCsr("key type is not P-256, Ed25519 or SM2");
  if (key->alg() != expected_alg) {
    return BadCsr("key is " + std::string(crypto::KeyAlgName(key->alg())) +
                  ", the request is for " + std::string(crypto::KeyAlgName(expected_alg)));
  }
  if (key->alg() == crypto::KeyAlg::kSm2) {
    const std::string_view id = crypto::kSm2DistinguishingId;
    ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
    if (os == nullptr ||
        !ASN1_OCTET_STRING_set(os, reinterpret_cast<const unsigned char*>(id.data()),
                               static_cast<int>(id.size()))) {
      ASN1_OCTET_STRING_free(os);
      return ossl::Error(InternalError, "SM2 distinguishing ID");
    }
    X509_REQ_set0_distinguishing_id(req.get(), os);  // takes ownership
  }
  if (X509_REQ_verify(req.get(), pkey) != 1) {
    return BadCsr("self-signature does not verify (no proof of possession)");
  }
  return key;
}

StatusOr<std::string> MakeCsrPem(const crypto::PrivateKey& key) {
  ossl::X509ReqPtr req(X509_REQ_new());
  if (!req || X509_REQ_set_version(req.get(), 0) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.evp()) != 1)
    return ossl::Error(InternalError, "building a certificate request");
  int ok = 0;
  if (key.alg() == crypto::KeyAlg::kSm2) {
    const std::string_view id = crypto::kSm2DistinguishingId;
    ossl::EvpMdCtxPtr md(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new(key.evp(), nullptr);  // owned by md once set
    if (!md || pctx == nullptr ||
        EVP_PKEY_CTX_set1_id(pctx, reinterpret_cast<const unsigned char*>(id.data()),
                             static_cast<int>(id.size())) != 1) {
      EVP_PKEY_CTX_free(pctx);
      return ossl::Error(InternalError, "SM2 distinguishing ID");
    }
    EVP_MD_CTX_set_pkey_ctx(md.get(), pctx);
    ok = EVP_DigestSignInit(md.get(), nullptr, EVP_sm3(), nullptr, key.evp()) == 1 &&
         X509_REQ_sign_ctx(req.get(), md.get()) > 0;
    EVP_MD_CTX_set_pkey_ctx(md.get(), nullptr);
    EVP_PKEY_CTX_free(pctx);
  } else {
    ok = X509_REQ_sign(req.get(), key.evp(),
                       key.alg() == crypto::KeyAlg::kP256 ? EVP_sha256() : nullptr) > 0;
  }
  if (!ok) return ossl::Error(InternalError, "signing the certificate request");
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), req.get()) != 1)
    return ossl::Error(InternalError, "writing the certificate request");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

StatusOr<std::string> MakeCsr(const crypto::PrivateKey& key) {
  if (key.alg() == crypto::KeyAlg::kSm2)
    return InvalidArgumentError("MakeCsr: SM2 is not supported");
  ossl::X509ReqPtr req(X509_REQ_new());
  if (!req || X509_REQ_set_version(req.get(), 0) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.evp()) != 1 ||
      X509_REQ_sign(req.get(), key.evp(),
                    key.alg() == crypto::KeyAlg::kP256 ? EVP_sha256() : nullptr) <= 0)
    return InternalError("MakeCsr: OpenSSL could not sign the request");
  unsigned char* out = nullptr;
  int n = i2d_X509_REQ(req.get(), &out);
  if (n <= 0) return InternalError("MakeCsr: OpenSSL could not encode the request");
  std::string der(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  return der;
}

}  // namespace vt::x509
