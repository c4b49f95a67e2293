// Internal to the crypto module: the state behind Pkcs11Token, shared by
// pkcs11_token.cc (session, objects, key generation) and pkcs11_signer.cc.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "crypto/pkcs11_module.h"
#include "crypto/pkcs11_signer.h"

namespace vt::crypto {

struct Pkcs11Token::Impl {
  std::shared_ptr<internal::Pkcs11Module> module;
  std::string token_label;
  std::mutex mu;                                  // serializes every call on `session`
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;  // guarded by mu

  CK_FUNCTION_LIST* fn() const { return module->fn(); }

  // The rest require `mu` held.

  // The one object of class `cls` labelled `label`. NotFound if none;
  // FailedPrecondition if the label is ambiguous.
  StatusOr<CK_OBJECT_HANDLE> FindOne(CK_OBJECT_CLASS cls, std::string_view label);
  // True if any object carries `label`.
  StatusOr<bool> LabelInUse(std::string_view label);
  // The value of one attribute.
  StatusOr<std::string> GetAttribute(CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type);
  // From CKA_KEY_TYPE and CKA_EC_PARAMS; Unimplemented for other key types.
  StatusOr<KeyAlg> KeyAlgOf(CK_OBJECT_HANDLE obj);
  // A public key object as a software PublicKey (from CKA_EC_POINT).
  StatusOr<PublicKey> ReadPublicKey(CK_OBJECT_HANDLE pub);
  // C_SignInit + C_Sign with a parameterless mechanism.
  StatusOr<std::string> SignRaw(CK_OBJECT_HANDLE key, CK_MECHANISM_TYPE mech,
                                std::string_view data);
};

}  // namespace vt::crypto
