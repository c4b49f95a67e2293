// VerifyCertificateChain (cert.h): OpenSSL's RFC 5280 path validation.
#include "crypto/ossl.h"
#include "x509/cert.h"

namespace vt::x509 {
namespace {

using StorePtr = ossl::UniquePtr<X509_STORE>;
using StoreCtxPtr = ossl::UniquePtr<X509_STORE_CTX>;
using CertStackPtr = ossl::CertStackPtr;

// OpenSSL verifies an SM2 signature with the ID attached to the signed
// certificate; without one it would use the empty ID.
Status AttachSm2Id(X509* x) {
  if (X509_get_signature_nid(x) != NID_SM2_with_SM3) return OkStatus();
  const std::string_view id = crypto::kSm2DistinguishingId;
  ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
  if (os == nullptr || !ASN1_OCTET_STRING_set(os, reinterpret_cast<const unsigned char*>(id.data()),
                                              static_cast<int>(id.size()))) {
    ASN1_OCTET_STRING_free(os);
    return ossl::Error(InternalError, "SM2 distinguishing ID");
  }
  X509_set0_distinguishing_id(x, os);
  return OkStatus();
}

StatusOr<ossl::X509Ptr> Load(std::string_view pem_or_der) {
  VT_ASSIGN_OR_RETURN(std::string der, CertificateToDer(pem_or_der));
  ossl::X509Ptr x = ossl::ParseDerExact<ossl::X509Ptr>(der, d2i_X509);
  if (!x) {
    ossl::ClearErrors();
    return InvalidArgumentError("certificate: not DER").WithField("certificate");
  }
  VT_RETURN_IF_ERROR(AttachSm2Id(x.get()));
  return x;
}

}  // namespace

Status VerifyCertificateChain(std::string_view leaf, const std::vector<std::string>& intermediates,
                              const std::vector<std::string>& roots, TimePoint at) {
  VT_ASSIGN_OR_RETURN(ossl::X509Ptr leaf_cert, Load(leaf));
  StorePtr store(X509_STORE_new());
  CertStackPtr untrusted(sk_X509_new_null());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) return ossl::Error(InternalError, "X509_STORE");
  for (const auto& r : roots) {
    VT_ASSIGN_OR_RETURN(ossl::X509Ptr root, Load(r));
    if (!X509_STORE_add_cert(store.get(), root.get())) {
      return ossl::Error(InternalError, "adding a trust anchor");
    }
  }
  for (const auto& i : intermediates) {
    VT_ASSIGN_OR_RETURN(ossl::X509Ptr cert, Load(i));
    if (!sk_X509_push(untrusted.get(), cert.get())) {
      return ossl::Error(InternalError, "intermediates");
    }
    cert.release();
  }
  if (!X509_STORE_CTX_init(ctx.get(), store.get(), leaf_cert.get(), untrusted.get())) {
    return ossl::Error(InternalError, "X509_STORE_CTX_init");
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(at));
  int ok = X509_verify_cert(ctx.get());
  ossl::ClearErrors();
  if (ok != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    return InvalidArgumentError(std::string("certificate chain: ") +
                                X509_verify_cert_error_string(err))
        .WithField("certificate");
  }
  return OkStatus();
}

}  // namespace vt::x509
