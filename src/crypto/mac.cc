#include "crypto/mac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>

#include "crypto/ossl.h"

namespace vt::crypto {

StatusOr<std::string> HmacSha256(std::string_view key, std::string_view message) {
  if (key.size() > INT_MAX) return InternalError("HMAC-SHA256 failed: key too long");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out,
           &len) == nullptr) {
    return ossl::Error(InternalError, "HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace vt::crypto
