// OCSP requests (RFC 6960 §4.1) as POSTed to the responder: the DER walk of
// x509/ocsp_request.cc. With no configured issuers every well-formed request
// ends in PermissionDenied, after the whole request has been parsed.
#include "x509/ocsp_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vt::x509::OcspResponder::State kState;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  vt::x509::internal::ParseOcspRequest(kState, in).status().IgnoreError();
  return 0;
}
