#include "crypto/ecdsa_sig.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "crypto/ossl.h"

namespace vt::crypto {
namespace {

using SigPtr = ossl::UniquePtr<ECDSA_SIG>;
using BnPtr = ossl::BignumPtr;

}  // namespace

StatusOr<std::string> EcdsaDerToRaw(std::string_view der, size_t field_len) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return InvalidArgumentError("malformed DER ECDSA signature");
  }
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  if (BN_is_negative(r) || BN_is_negative(s) || static_cast<size_t>(BN_num_bytes(r)) > field_len ||
      static_cast<size_t>(BN_num_bytes(s)) > field_len) {
    return InvalidArgumentError("ECDSA signature integer out of range");
  }
  std::string out(2 * field_len, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  BN_bn2binpad(r, o, static_cast<int>(field_len));
  BN_bn2binpad(s, o + field_len, static_cast<int>(field_len));
  return out;
}

StatusOr<std::string> EcdsaRawToDer(std::string_view raw) {
  if (raw.empty() || raw.size() % 2 != 0) {
    return InvalidArgumentError("raw ECDSA signature must be r||s of equal halves");
  }
  const int half = static_cast<int>(raw.size() / 2);
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  BnPtr r(BN_bin2bn(in, half, nullptr));
  BnPtr s(BN_bin2bn(in + half, half, nullptr));
  SigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return InternalError("ECDSA_SIG allocation failed");
  }
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return InternalError("i2d_ECDSA_SIG failed");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace vt::crypto
