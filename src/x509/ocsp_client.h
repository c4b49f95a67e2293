// Client side of OCSP (RFC 6960): what a signer needs to staple a response
// and a verifier needs to read a stapled one. The responder is ocsp.h.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace vt::x509 {

// A DER OCSPRequest (RFC 6960 §4.1.1) with one SHA-1 CertID for `cert`
// issued by `issuer_cert` (both PEM or DER), without a nonce, as a client sends
// it to have a response to staple. InvalidArgument if a certificate does not parse.
StatusOr<std::string> BuildOcspRequest(std::string_view cert, std::string_view issuer_cert);

// The thisUpdate of the first SingleResponse of a DER OCSPResponse, unchecked
// (to verify a stapled response as of when it was made with
// VerifyOcspResponse). InvalidArgument (field "ocsp_response") if it does not parse.
StatusOr<TimePoint> OcspThisUpdate(std::string_view response_der);

}  // namespace vt::x509
