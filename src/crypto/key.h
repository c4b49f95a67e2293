// Asymmetric keys over OpenSSL 3: ECDSA P-256, Ed25519 and SM2 (with SM3).
//
// Signature encodings: ECDSA and SM2 signatures are DER-encoded
// ECDSA-Sig-Value (the X.509 form); Ed25519 signatures are the raw 64 bytes.
// SM2 signing and verification always use the distinguishing ID
// kSm2DistinguishingId (GM/T 0009), never OpenSSL's default.
//
// PrivateKey and PublicKey own their EVP_PKEY (RAII), are movable and copyable
// (copies share the immutable key via reference counting), and are safe to use
// from several threads at once for Sign/Verify.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace vt::crypto {

enum class KeyAlg { kP256, kEd25519, kSm2 };

inline constexpr std::string_view kSm2DistinguishingId = "1234567812345678";

// "p256", "ed25519", "sm2".
std::string_view KeyAlgName(KeyAlg alg);
// Accepts the names above; InvalidArgument otherwise.
StatusOr<KeyAlg> ParseKeyAlg(std::string_view name);

class PublicKey {
 public:
  // SubjectPublicKeyInfo in PEM ("-----BEGIN PUBLIC KEY-----") or DER.
  static StatusOr<PublicKey> FromPem(std::string_view pem);
  static StatusOr<PublicKey> FromDer(std::string_view spki_der);
  // Ed25519 only: the raw 32-byte public key.
  static StatusOr<PublicKey> FromEd25519Raw(std::string_view raw32);
  // The inverse of RawBytes(): Ed25519 raw 32 bytes; P-256/SM2 a SEC1 point
  // (uncompressed 65 bytes, or compressed 33). InvalidArgument if the bytes are
  // not a point on the curve. Used for keys read back from PKCS#11 tokens.
  static StatusOr<PublicKey> FromRawBytes(KeyAlg alg, std::string_view raw);
  // Takes a reference on `pkey` (does not steal the caller's). Fails on an
  // unsupported key type (RSA, other curves).
  static StatusOr<PublicKey> FromEvp(EVP_PKEY* pkey);

  KeyAlg alg() const { return alg_; }
  std::string ToPem() const;
  std::string ToDer() const;  // SubjectPublicKeyInfo
  // Ed25519: the 32 raw bytes. P-256/SM2: the uncompressed point (65 bytes).
  std::string RawBytes() const;
  // OK if `signature` is a valid signature of `message`; InvalidArgument with
  // "signature mismatch" otherwise (also for malformed signatures).
  Status Verify(std::string_view message, std::string_view signature) const;
  // The borrowed OpenSSL handle, for the x509 module. Valid while *this lives.
  EVP_PKEY* evp() const { return key_.get(); }
  bool operator==(const PublicKey& other) const;

 private:
  PublicKey(std::shared_ptr<EVP_PKEY> k, KeyAlg a) : key_(std::move(k)), alg_(a) {}
  std::shared_ptr<EVP_PKEY> key_;
  KeyAlg alg_;
};

class PrivateKey {
 public:
  // A fresh key from the OpenSSL CSPRNG.
  static StatusOr<PrivateKey> Generate(KeyAlg alg);
  // Ed25519 from a 32-byte seed (RFC 8032 §5.1.5). For test vectors and for
  // keys derived from stored seeds.
  static StatusOr<PrivateKey> FromEd25519Seed(std::string_view seed32);
  // PKCS#8 PEM, encrypted ("ENCRYPTED PRIVATE KEY") or not. A wrong passphrase
  // is PermissionDenied; anything unparseable is InvalidArgument.
  static StatusOr<PrivateKey> FromPem(std::string_view pem, std::string_view passphrase = "");
  static StatusOr<PrivateKey> FromDer(std::string_view pkcs8_der);
  // Takes a reference on `pkey` (does not steal the caller's). Fails with
  // InvalidArgument on an unsupported key type or a key without its private part.
  static StatusOr<PrivateKey> FromEvp(EVP_PKEY* pkey);

  KeyAlg alg() const { return alg_; }
  PublicKey Public() const;
  // PKCS#8 PEM. With a non-empty passphrase: PBES2 (scrypt KDF, AES-256-CBC).
  // With an empty passphrase the key is written in the clear; callers that
  // store keys at rest must pass one.
  StatusOr<std::string> ToPem(std::string_view passphrase) const;
  StatusOr<std::string> ToDer() const;  // unencrypted PKCS#8
  // P-256: ECDSA over SHA-256. Ed25519: pure EdDSA. SM2: SM2 with SM3 and the ID.
  StatusOr<std::string> Sign(std::string_view message) const;
  EVP_PKEY* evp() const { return key_.get(); }

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> k, KeyAlg a) : key_(std::move(k)), alg_(a) {}
  std::shared_ptr<EVP_PKEY> key_;
  KeyAlg alg_;
};

// Keys at rest under the key-encryption key (KEK) of the data directory's
// config. `kek` is the raw KEK (at least 16 bytes). The PEM is the encrypted
// PKCS#8 with the lower-case hex of the KEK as the passphrase (PBES2:
// PBKDF2-HMAC-SHA256 with 1 iteration and a 16-byte salt, AES-256-CBC; no
// memory-hard KDF since the KEK is random, see docs/crypto.md), so `openssl
// pkey` can open it given that hex string. Unseal reads any PBES2 parameters
// (keys sealed before with scrypt N=2^14 still open). Thread-safe.
// Unseal: PermissionDenied for a wrong KEK,
// InvalidArgument for a short KEK or unparseable PEM.
StatusOr<std::string> SealKeyPem(const PrivateKey& key, std::string_view kek);
StatusOr<PrivateKey> UnsealKeyPem(std::string_view pem, std::string_view kek);

}  // namespace vt::crypto
