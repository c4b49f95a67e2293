// Client side of OCSP: building a request (RFC 6960 §4.1.1).
#include "x509/cert.h"
#include "x509/ocsp.h"
#include "x509/ossl.h"

namespace vt::x509 {

using internal::OsslPtr;
using internal::X509Ptr;

StatusOr<std::string> BuildOcspRequest(std::string_view cert, std::string_view issuer_cert) {
  VT_ASSIGN_OR_RETURN(std::string cert_der, CertificateToDer(cert));
  VT_ASSIGN_OR_RETURN(std::string issuer_der, CertificateToDer(issuer_cert));
  auto leaf = internal::ParseDerExact<X509Ptr>(cert_der, d2i_X509);
  auto issuer = internal::ParseDerExact<X509Ptr>(issuer_der, d2i_X509);
  if (!leaf || !issuer) return InvalidArgumentError("OCSP request: certificate does not parse");
  OsslPtr<OCSP_REQUEST, OCSP_REQUEST_free> req(OCSP_REQUEST_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), leaf.get(), issuer.get());
  if (!req || !id || !OCSP_request_add0_id(req.get(), id)) {
    if (id) OCSP_CERTID_free(id);
    return internal::OsslError(InternalError, "OCSP request");
  }
  std::string der = internal::ToDer(req.get(), i2d_OCSP_REQUEST);
  if (der.empty()) return InternalError("OCSP request: encoding failed");
  return der;
}

}  // namespace vt::x509
