// Key construction, algorithm detection and raw encodings. PEM/DER codecs are
// in key_codec.cc, signing and verification in key_sign.cc.
#include "crypto/key.h"

#include <openssl/core_names.h>
#include <openssl/x509.h>

#include <cstring>

#include "crypto/key_internal.h"
#include "crypto/ossl.h"

namespace vt::crypto {

std::string_view KeyAlgName(KeyAlg alg) {
  switch (alg) {
    case KeyAlg::kP256:
      return "p256";
    case KeyAlg::kEd25519:
      return "ed25519";
    case KeyAlg::kSm2:
      return "sm2";
  }
  std::abort();
}

StatusOr<KeyAlg> ParseKeyAlg(std::string_view name) {
  for (KeyAlg a : {KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2}) {
    if (name == KeyAlgName(a)) return a;
  }
  return InvalidArgumentError("unknown key algorithm \"" + std::string(name) +
                              "\" (expected p256, ed25519 or sm2)");
}

namespace internal {

std::shared_ptr<EVP_PKEY> ShareKey(ossl::EvpPkeyPtr key) {
  if (key == nullptr) std::abort();  // callers check before sharing
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

StatusOr<KeyAlg> DetectAlg(const EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "ED25519")) return KeyAlg::kEd25519;
  // OpenSSL 3 types every key on the SM2 curve "SM2" (decoders, keygen, even
  // EVP_PKEY_assign_EC_KEY). An "EC" key on that curve would be signed with
  // plain ECDSA, so it falls through to "unsupported" below.
  if (EVP_PKEY_is_a(pkey, "SM2")) return KeyAlg::kSm2;
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[80] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &len) == 1) {
      if (std::strcmp(group, "prime256v1") == 0) return KeyAlg::kP256;
    }
    ossl::DrainErrors();
    return InvalidArgumentError(std::string("unsupported elliptic curve \"") + group + "\"");
  }
  return InvalidArgumentError("unsupported key type (want P-256, Ed25519 or SM2)");
}

bool HasPrivatePart(const EVP_PKEY* pkey, KeyAlg alg) {
  bool ok;
  if (alg == KeyAlg::kEd25519) {
    size_t len = 0;
    ok = EVP_PKEY_get_raw_private_key(pkey, nullptr, &len) == 1 && len == 32;
  } else {
    BIGNUM* d = nullptr;
    ok = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1 && d != nullptr;
    BN_clear_free(d);
  }
  ossl::DrainErrors();
  return ok;
}

ossl::EvpPkeyPtr PublicOnlyCopy(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(pkey, &der);
  if (n <= 0) return nullptr;
  const unsigned char* p = der;
  ossl::EvpPkeyPtr out(d2i_PUBKEY(nullptr, &p, n));
  OPENSSL_free(der);
  return out;
}

}  // namespace internal

namespace {

// A new owning reference on `pkey` if it is a supported key (with its private
// part when `want_private`).
StatusOr<ossl::EvpPkeyPtr> Adopt(EVP_PKEY* pkey, bool want_private, KeyAlg* alg) {
  if (pkey == nullptr) return InvalidArgumentError("null key");
  VT_ASSIGN_OR_RETURN(*alg, internal::DetectAlg(pkey));
  if (want_private && !internal::HasPrivatePart(pkey, *alg)) {
    return InvalidArgumentError("key has no private part");
  }
  if (EVP_PKEY_up_ref(pkey) != 1) return ossl::Error(InternalError, "EVP_PKEY_up_ref");
  return ossl::EvpPkeyPtr(pkey);
}

}  // namespace

StatusOr<PublicKey> PublicKey::FromEvp(EVP_PKEY* pkey) {
  KeyAlg alg;
  VT_ASSIGN_OR_RETURN(ossl::EvpPkeyPtr key, Adopt(pkey, /*want_private=*/false, &alg));
  return PublicKey(internal::ShareKey(std::move(key)), alg);
}

StatusOr<PrivateKey> PrivateKey::FromEvp(EVP_PKEY* pkey) {
  KeyAlg alg;
  VT_ASSIGN_OR_RETURN(ossl::EvpPkeyPtr key, Adopt(pkey, /*want_private=*/true, &alg));
  return PrivateKey(internal::ShareKey(std::move(key)), alg);
}

StatusOr<PublicKey> PublicKey::FromEd25519Raw(std::string_view raw32) {
  if (raw32.size() != 32) return InvalidArgumentError("Ed25519 public key must be 32 bytes");
  ossl::EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw32.data()), 32));
  if (key == nullptr) return ossl::Error(InvalidArgumentError, "bad Ed25519 public key");
  return PublicKey(internal::ShareKey(std::move(key)), KeyAlg::kEd25519);
}

StatusOr<PublicKey> PublicKey::FromRawBytes(KeyAlg alg, std::string_view raw) {
  if (alg == KeyAlg::kEd25519) return FromEd25519Raw(raw);
  const char* type = alg == KeyAlg::kSm2 ? "SM2" : "EC";
  char group[16];
  std::strcpy(group, alg == KeyAlg::kSm2 ? "SM2" : "prime256v1");
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_PKEY_PARAM_PUB_KEY, const_cast<char*>(raw.data()), raw.size()),
                         OSSL_PARAM_construct_end()};
  ossl::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* out = nullptr;
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &out, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return ossl::Error(InvalidArgumentError, "not a point on the curve");
  }
  ossl::EvpPkeyPtr key(out);
  return FromEvp(key.get());
}

std::string PublicKey::RawBytes() const {
  unsigned char buf[80];
  size_t len = 0;
  if (alg_ == KeyAlg::kEd25519) {
    len = sizeof(buf);
    if (EVP_PKEY_get_raw_public_key(key_.get(), buf, &len) != 1) std::abort();
    return std::string(reinterpret_cast<char*>(buf), len);
  }
  // The point in the key's own format: uncompressed unless it was imported
  // compressed, in which case a copy is switched to uncompressed.
  if (EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof(buf),
                                      &len) != 1) {
    std::abort();  // every EC key here has a public point
  }
  if (len == 65) return std::string(reinterpret_cast<char*>(buf), len);
  ossl::EvpPkeyPtr copy(EVP_PKEY_dup(key_.get()));
  if (copy == nullptr ||
      EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                     "uncompressed") != 1 ||
      EVP_PKEY_get_octet_string_param(copy.get(), OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof(buf),
                                      &len) != 1) {
    std::abort();
  }
  return std::string(reinterpret_cast<char*>(buf), len);
}

bool PublicKey::operator==(const PublicKey& other) const {
  return alg_ == other.alg_ && EVP_PKEY_eq(key_.get(), other.key_.get()) == 1;
}

StatusOr<PrivateKey> PrivateKey::Generate(KeyAlg alg) {
  EVP_PKEY* out = nullptr;
  switch (alg) {
    case KeyAlg::kP256:
      out = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime256v1");
      break;
    case KeyAlg::kEd25519:
      out = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    case KeyAlg::kSm2:
      out = EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2");
      break;
  }
  if (out == nullptr) return ossl::Error(InternalError, "key generation failed");
  ossl::EvpPkeyPtr key(out);
  return FromEvp(key.get());
}

StatusOr<PrivateKey> PrivateKey::FromEd25519Seed(std::string_view seed32) {
  if (seed32.size() != 32) return InvalidArgumentError("Ed25519 seed must be 32 bytes");
  ossl::EvpPkeyPtr key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed32.data()), 32));
  if (key == nullptr) return ossl::Error(InvalidArgumentError, "bad Ed25519 seed");
  return PrivateKey(internal::ShareKey(std::move(key)), KeyAlg::kEd25519);
}

PublicKey PrivateKey::Public() const {
  // A public-only copy, so that a PublicKey never carries private material.
  ossl::EvpPkeyPtr pub = internal::PublicOnlyCopy(key_.get());
  if (pub == nullptr) std::abort();  // a valid private key always has a public half
  StatusOr<PublicKey> out = PublicKey::FromEvp(pub.get());
  if (!out.ok()) std::abort();
  return *std::move(out);
}

}  // namespace vt::crypto
