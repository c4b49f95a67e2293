// Certificates presented by clients (x509/cert.h): PEM or DER inspection,
// including the ID-card extension when present.
#include "x509/cert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  vt::x509::InspectCertificate(in).status().IgnoreError();
  vt::x509::SplitPemCertificates(in).status().IgnoreError();
  return 0;
}
