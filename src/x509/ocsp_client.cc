// Client side of OCSP: building a request (RFC 6960 §4.1.1).
#include "x509/ocsp_client.h"
#include "crypto/ossl.h"
#include "x509/cert.h"

#include <ctime>

namespace vt::x509 {

using ossl::X509Ptr;

StatusOr<std::string> BuildOcspRequest(std::string_view cert, std::string_view issuer_cert) {
  VT_ASSIGN_OR_RETURN(std::string cert_der, CertificateToDer(cert));
  VT_ASSIGN_OR_RETURN(std::string issuer_der, CertificateToDer(issuer_cert));
  auto leaf = ossl::ParseDerExact<X509Ptr>(cert_der, d2i_X509);
  auto issuer = ossl::ParseDerExact<X509Ptr>(issuer_der, d2i_X509);
  if (!leaf || !issuer) return InvalidArgumentError("OCSP request: certificate does not parse");
  ossl::OcspReqPtr req(OCSP_REQUEST_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), leaf.get(), issuer.get());
  if (!req || !id || !OCSP_request_add0_id(req.get(), id)) {
    if (id) OCSP_CERTID_free(id);
    return ossl::Error(InternalError, "OCSP request");
  }
  std::string der = ossl::ToDer(req.get(), i2d_OCSP_REQUEST);
  if (der.empty()) return InternalError("OCSP request: encoding failed");
  return der;
}

StatusOr<TimePoint> OcspThisUpdate(std::string_view response_der) {
  using RespPtr = ossl::OcspRespPtr;
  auto resp = ossl::ParseDerExact<RespPtr>(response_der, d2i_OCSP_RESPONSE);
  if (!resp) return InvalidArgumentError("OCSP response does not parse").WithField("ocsp_response");
  ossl::OcspBasicPtr basic(OCSP_response_get1_basic(resp.get()));
  OCSP_SINGLERESP* single = basic ? OCSP_resp_get0(basic.get(), 0) : nullptr;
  ASN1_GENERALIZEDTIME *this_update = nullptr, *next_update = nullptr, *revoked = nullptr;
  int reason = 0;
  if (!single ||
      OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update) < 0 ||
      !this_update)
    return InvalidArgumentError("OCSP response has no SingleResponse").WithField("ocsp_response");
  std::tm tm{};
  if (ASN1_TIME_to_tm(this_update, &tm) != 1)
    return InvalidArgumentError("OCSP thisUpdate does not parse").WithField("ocsp_response");
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace vt::x509
