#include "crypto/ossl_util.h"

#include <openssl/err.h>

#include <climits>
#include <cstdlib>

namespace vt::crypto::internal {

std::shared_ptr<EVP_PKEY> ShareKey(EvpPkeyPtr key) {
  if (key == nullptr) std::abort();  // callers check before sharing
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

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

Status OsslError(Status (*make_error)(std::string), std::string_view context) {
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
  if (bio == nullptr) std::abort();
  return bio;
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace vt::crypto::internal
