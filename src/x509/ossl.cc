#include "x509/ossl.h"

#include <openssl/err.h>

namespace vt::x509::internal {

Status OsslError(Status (*make_error)(std::string), std::string_view context) {
  std::string detail;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!detail.empty()) detail += "; ";
    detail += buf;
  }
  std::string msg(context);
  if (!detail.empty()) msg += ": " + detail;
  return make_error(std::move(msg));
}

void ClearOsslErrors() { ERR_clear_error(); }

std::string AsnStringBytes(const ASN1_STRING* s) {
  if (s == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

}  // namespace vt::x509::internal
