#include "crypto/ossl.h"

#include <openssl/err.h>

#include <climits>
#include <cstdlib>

namespace vt::ossl {

std::string DrainErrors() {
  std::string out;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

void ClearErrors() { ERR_clear_error(); }

Status Error(Status (*make_error)(std::string), std::string_view context) {
  std::string errors = DrainErrors();
  std::string msg(context);
  if (!errors.empty()) msg += ": " + errors;
  return make_error(std::move(msg));
}

BioPtr ReadBio(std::string_view data) {
  if (data.size() > INT_MAX) return BioPtr(BIO_new_mem_buf("", 0));
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (bio == nullptr) std::abort();  // allocation failure
  return bio;
}

BioPtr WriteBio() {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr) std::abort();  // allocation failure
  return bio;
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string AsnStringBytes(const ASN1_STRING* s) {
  if (s == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

}  // namespace vt::ossl
