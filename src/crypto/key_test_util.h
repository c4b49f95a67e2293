// Test-only helpers for the crypto tests: hex literals, DER built from the
// fixed layouts of test vectors, and raw OpenSSL SM2 operations that bypass
// key.h (to prove which distinguishing ID our code applies).
#pragma once

#include <openssl/evp.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "base/encoding.h"

namespace vt::crypto::testutil {

inline std::string H(std::string_view hex) {
  auto out = HexDecode(hex);
  if (!out.ok()) std::abort();  // a typo in a test vector
  return *out;
}

// Named-curve OIDs (DER, tag and length included).
inline const std::string kP256Oid = H("06082a8648ce3d030107");  // 1.2.840.10045.3.1.7
inline const std::string kSm2Oid = H("06082a811ccf5501822d");   // 1.2.156.10197.1.301

// PKCS#8 PrivateKeyInfo { 0, {id-ecPublicKey, curve}, ECPrivateKey {1, d} }
// without the optional public key (OpenSSL derives it). d is 32 bytes.
inline std::string EcPkcs8(const std::string& curve_oid, const std::string& d) {
  return H("3041020100") + H("3013") + H("06072a8648ce3d0201") + curve_oid + H("0427") +
         H("30250201010420") + d;
}

// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } for 32-byte r, s with
// no leading zero byte (true of the vectors used here).
inline std::string EcdsaDer(const std::string& r, const std::string& s) {
  auto integer = [](const std::string& v) {
    bool pad = static_cast<unsigned char>(v[0]) & 0x80;
    return std::string("\x02", 1) + static_cast<char>(v.size() + pad) +
           (pad ? std::string(1, '\0') : "") + v;
  };
  std::string body = integer(r) + integer(s);
  return std::string("\x30", 1) + static_cast<char>(body.size()) + body;
}

// SM2-with-SM3 over raw OpenSSL. `id` null = OpenSSL's default (no ID set).
inline std::string RawSm2Sign(EVP_PKEY* pkey, std::string_view msg, const char* id) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  std::string sig(80, '\0');
  size_t len = sig.size();
  bool ok = EVP_DigestSignInit_ex(ctx, &pctx, "SM3", nullptr, nullptr, pkey, nullptr) == 1 &&
            (id == nullptr || EVP_PKEY_CTX_set1_id(pctx, id, std::string_view(id).size()) == 1) &&
            EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) std::abort();
  sig.resize(len);
  return sig;
}

inline bool RawSm2Verify(EVP_PKEY* pkey, std::string_view msg, std::string_view sig,
                         const char* id) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit_ex(ctx, &pctx, "SM3", nullptr, nullptr, pkey, nullptr) == 1 &&
            (id == nullptr || EVP_PKEY_CTX_set1_id(pctx, id, std::string_view(id).size()) == 1) &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace vt::crypto::testutil
