// Key custody in a PKCS#11 v2.40 token (an HSM, or SoftHSM2 in tests): key
// pairs are generated inside the token, marked sensitive and non-extractable,
// and used only through C_Sign. The module is dlopen()ed at run time, so
// vtrust does not link against any particular HSM vendor's library.
//
// Mechanisms: P-256 keys sign with CKM_ECDSA over a SHA-256 digest computed
// here, and the token's raw r||s is re-encoded as a DER ECDSA-Sig-Value;
// Ed25519 keys sign with CKM_EDDSA (pure Ed25519). Signatures therefore have
// exactly the encodings of key.h. PKCS#11 v2.40 defines no SM2 mechanism
// (and SoftHSM2 has none): SM2 is refused with Unimplemented.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/key.h"
#include "crypto/signer.h"

namespace vt::crypto {

inline constexpr std::string_view kDefaultPkcs11Module = "/usr/lib/softhsm/libsofthsm2.so";

struct Pkcs11Config {
  std::string module_path = std::string(kDefaultPkcs11Module);
  std::string token_label;  // CK_TOKEN_INFO.label, without the blank padding
  std::string user_pin;
};

// One logged-in read/write session on one token. All calls on the session
// are serialized by a mutex, so a token may be shared by several Signers and
// threads. Share it with std::shared_ptr; it closes its session when the last
// owner lets go.
//
// PKCS#11 login state belongs to the whole process: while another session of
// this process is logged in to the same token, C_Login reports
// CKR_USER_ALREADY_LOGGED_IN without checking the PIN, and Open succeeds.
class Pkcs11Token {
 public:
  // Loads the module (once per process), finds the token by label, opens a
  // session and logs in as CKU_USER. NotFound: no such module file or token.
  // PermissionDenied: wrong or locked PIN. FailedPrecondition: not a PKCS#11
  // module. Unavailable: the token failed.
  static StatusOr<std::shared_ptr<Pkcs11Token>> Open(const Pkcs11Config& config);
  ~Pkcs11Token();
  Pkcs11Token(const Pkcs11Token&) = delete;
  Pkcs11Token& operator=(const Pkcs11Token&) = delete;

  const std::string& token_label() const;

  // Generates a key pair inside the token under `key_label` (CKA_LABEL of both
  // halves; CKA_ID = first 16 bytes of SHA-256(label)). The private key is
  // CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, not CKA_EXTRACTABLE, CKA_SIGN only.
  // Returns the public key read back from the token. AlreadyExists if the
  // label is taken; Unimplemented for SM2 or a curve the token lacks.
  StatusOr<PublicKey> GenerateKeyPair(KeyAlg alg, std::string_view key_label);

  // The public half of the key pair `key_label` (from CKA_EC_POINT), with its
  // algorithm from CKA_KEY_TYPE and CKA_EC_PARAMS. NotFound if absent.
  StatusOr<PublicKey> GetPublicKey(std::string_view key_label);

  struct Impl;

 private:
  explicit Pkcs11Token(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend StatusOr<std::unique_ptr<Signer>> MakePkcs11Signer(std::shared_ptr<Pkcs11Token>,
                                                            std::string_view);
};

// A Signer over the key pair `key_label` of `token`. Each signature is checked
// against the public key before it is returned (Internal on a mismatch).
// NotFound if the token holds no such private and public key; Unimplemented
// for key types other than P-256 and Ed25519. Sign fails with Unavailable when
// the token or session is gone. Describe() is an RFC 7512 URI,
// "pkcs11:token=<token>;object=<label>".
StatusOr<std::unique_ptr<Signer>> MakePkcs11Signer(std::shared_ptr<Pkcs11Token> token,
                                                   std::string_view key_label);

}  // namespace vt::crypto
