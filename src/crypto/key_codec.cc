// Key encodings (key.h): SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), PKCS#8
// (RFC 5208) and encrypted PKCS#8 with PBES2 (RFC 8018 §6.2) using the scrypt
// KDF (RFC 7914 §7) and AES-256-CBC, in DER or PEM (RFC 7468).
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <climits>

#include "base/encoding.h"
#include "crypto/key.h"
#include "crypto/key_internal.h"

namespace vt::crypto {

namespace {

// scrypt cost as `openssl pkcs8 -scrypt` uses by default: 16 MiB of memory,
// within OpenSSL's default 32 MiB decryption limit.
constexpr uint64_t kScryptN = 1 << 14, kScryptR = 8, kScryptP = 1;
constexpr int kSaltLen = 16;

struct Pem {
  std::string label;
  std::string der;
};

// The first PEM block of `text`.
StatusOr<Pem> ReadPem(std::string_view text) {
  ossl::BioPtr bio = ossl::ReadBio(text);
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
    return ossl::Error(InvalidArgumentError, "not PEM");
  }
  Pem pem{name, std::string(reinterpret_cast<char*>(data), static_cast<size_t>(len))};
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  return pem;
}

std::string ToPemBlock(std::string_view label, std::string_view der) {
  ossl::BioPtr bio = ossl::WriteBio();
  PEM_write_bio(bio.get(), std::string(label).c_str(), "",
                reinterpret_cast<const unsigned char*>(der.data()), static_cast<long>(der.size()));
  return ossl::BioContents(bio.get());
}

StatusOr<PrivateKey> FromPkcs8Info(PKCS8_PRIV_KEY_INFO* info) {
  ossl::EvpPkeyPtr key(EVP_PKCS82PKEY(info));
  PKCS8_PRIV_KEY_INFO_free(info);
  if (key == nullptr) return ossl::Error(InvalidArgumentError, "unsupported PKCS#8 key");
  return PrivateKey::FromEvp(key.get());
}

StatusOr<PrivateKey> DecryptPkcs8(std::string_view der, std::string_view passphrase) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509_SIG* sig = d2i_X509_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) return ossl::Error(InvalidArgumentError, "bad EncryptedPrivateKeyInfo");
  if (passphrase.empty()) {
    X509_SIG_free(sig);
    return PermissionDeniedError("the private key is encrypted: a passphrase is required");
  }
  PKCS8_PRIV_KEY_INFO* info =
      PKCS8_decrypt(sig, passphrase.data(), static_cast<int>(passphrase.size()));
  X509_SIG_free(sig);
  if (info == nullptr) {
    // Bad padding or undecodable plaintext: a wrong passphrase (or a
    // corrupted ciphertext, which cannot be told apart).
    ossl::DrainErrors();
    return PermissionDeniedError("wrong passphrase for the encrypted private key");
  }
  return FromPkcs8Info(info);
}

}  // namespace

StatusOr<PublicKey> PublicKey::FromDer(std::string_view spki_der) {
  const auto* p = reinterpret_cast<const unsigned char*>(spki_der.data());
  ossl::EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (key == nullptr) return ossl::Error(InvalidArgumentError, "bad SubjectPublicKeyInfo");
  if (p != reinterpret_cast<const unsigned char*>(spki_der.data()) + spki_der.size()) {
    return InvalidArgumentError("trailing bytes after SubjectPublicKeyInfo");
  }
  return FromEvp(key.get());
}

StatusOr<PublicKey> PublicKey::FromPem(std::string_view pem) {
  VT_ASSIGN_OR_RETURN(Pem block, ReadPem(pem));
  if (block.label != "PUBLIC KEY") {
    return InvalidArgumentError("expected a PUBLIC KEY PEM block, got " + block.label);
  }
  return FromDer(block.der);
}

std::string PublicKey::ToDer() const {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key_.get(), &der);
  if (n <= 0) std::abort();  // encoding a valid key cannot fail
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string PublicKey::ToPem() const { return ToPemBlock("PUBLIC KEY", ToDer()); }

StatusOr<PrivateKey> PrivateKey::FromDer(std::string_view pkcs8_der) {
  const auto* p = reinterpret_cast<const unsigned char*>(pkcs8_der.data());
  PKCS8_PRIV_KEY_INFO* info =
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(pkcs8_der.size()));
  if (info == nullptr) return ossl::Error(InvalidArgumentError, "bad PKCS#8 PrivateKeyInfo");
  if (p != reinterpret_cast<const unsigned char*>(pkcs8_der.data()) + pkcs8_der.size()) {
    PKCS8_PRIV_KEY_INFO_free(info);
    return InvalidArgumentError("trailing bytes after PKCS#8 PrivateKeyInfo");
  }
  return FromPkcs8Info(info);
}

StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem, std::string_view passphrase) {
  VT_ASSIGN_OR_RETURN(Pem block, ReadPem(pem));
  if (block.label == "ENCRYPTED PRIVATE KEY") return DecryptPkcs8(block.der, passphrase);
  if (block.label == "PRIVATE KEY") return FromDer(block.der);
  return InvalidArgumentError("expected a PKCS#8 PEM block, got " + block.label);
}

StatusOr<std::string> PrivateKey::ToDer() const {
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key_.get());
  if (info == nullptr) return ossl::Error(InternalError, "PKCS#8 encoding");
  unsigned char* der = nullptr;
  int n = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (n <= 0) return ossl::Error(InternalError, "PKCS#8 encoding");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_clear_free(der, static_cast<size_t>(n));
  return out;
}

namespace {

// Encrypted PKCS#8 PEM of `key` under `passphrase` (non-empty) with the PBES2
// parameters `pbe` (consumed).
StatusOr<std::string> EncryptedPem(EVP_PKEY* key, std::string_view passphrase, X509_ALGOR* pbe) {
  if (pbe == nullptr) return ossl::Error(InternalError, "PBES2 parameters");
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key);
  if (info == nullptr) {
    X509_ALGOR_free(pbe);
    return ossl::Error(InternalError, "PKCS#8 encoding");
  }
  ossl::BioPtr bio = ossl::WriteBio();
  X509_SIG* sig = PKCS8_set0_pbe(passphrase.data(), static_cast<int>(passphrase.size()), info, pbe);
  if (sig == nullptr) X509_ALGOR_free(pbe);  // on success `sig` owns `pbe`
  int ok = sig != nullptr && PEM_write_bio_PKCS8(bio.get(), sig);
  X509_SIG_free(sig);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (!ok) return ossl::Error(InternalError, "writing the private key PEM");
  return ossl::BioContents(bio.get());
}

}  // namespace

StatusOr<std::string> PrivateKey::ToPem(std::string_view passphrase) const {
  if (passphrase.size() > INT_MAX) return InvalidArgumentError("passphrase too long");
  if (!passphrase.empty()) {
    return EncryptedPem(key_.get(), passphrase,
                        PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, kSaltLen, nullptr,
                                              kScryptN, kScryptR, kScryptP));
  }
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key_.get());
  if (info == nullptr) return ossl::Error(InternalError, "PKCS#8 encoding");
  ossl::BioPtr bio = ossl::WriteBio();
  int ok = PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio.get(), info);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (!ok) return ossl::Error(InternalError, "writing the private key PEM");
  return ossl::BioContents(bio.get());
}

namespace {
constexpr size_t kMinKekBytes = 16;
// The KEK is a random key of at least 128 bits, so stretching it buys nothing
// (docs/crypto.md, "Sealing"): PBKDF2 only formats it into an AES key.
constexpr int kSealPbkdf2Iterations = 1;
}  // namespace

StatusOr<std::string> SealKeyPem(const PrivateKey& key, std::string_view kek) {
  if (kek.size() < kMinKekBytes) return InvalidArgumentError("KEK shorter than 16 bytes");
  std::string passphrase = HexEncode(kek);
  return EncryptedPem(key.evp(), passphrase,
                      PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), kSealPbkdf2Iterations, nullptr, kSaltLen,
                                        nullptr, NID_hmacWithSHA256));
}

StatusOr<PrivateKey> UnsealKeyPem(std::string_view pem, std::string_view kek) {
  if (kek.size() < kMinKekBytes) return InvalidArgumentError("KEK shorter than 16 bytes");
  VT_ASSIGN_OR_RETURN(Pem block, ReadPem(pem));
  if (block.label != "ENCRYPTED PRIVATE KEY") {
    return InvalidArgumentError("a sealed key must be an ENCRYPTED PRIVATE KEY");
  }
  return DecryptPkcs8(block.der, HexEncode(kek));
}

}  // namespace vt::crypto
