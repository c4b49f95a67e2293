// Pkcs11Token (pkcs11_signer.h): session, login, object lookup, in-token key
// generation (PKCS#11 v2.40 §5.7 C_Login, §5.10 C_FindObjects, §5.14
// C_GenerateKeyPair; EC and Edwards keys per PKCS#11 Mechanisms v2.40 §2.3 and
// the v3.0 EdDSA addition that SoftHSM 2.6 implements).
#include <cstring>
#include <vector>

#include "crypto/digest.h"
#include "crypto/pkcs11_token_internal.h"

namespace vt::crypto {

using internal::Pkcs11Error;
using internal::Pkcs11Module;

namespace {

// CKA_EC_PARAMS: DER namedCurve OIDs. P-256 is 1.2.840.10045.3.1.7. For
// Ed25519 we write id-Ed25519 (1.3.101.112, RFC 8410), which SoftHSM 2.6.1
// accepts, and also recognize the PrintableString "edwards25519" that
// pkcs11-tool and older tokens use.
const std::string kP256Params("\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10);
const std::string kEd25519Params("\x06\x03\x2b\x65\x70", 5);
const std::string kEd25519NameParams(
    "\x13\x0c"
    "edwards25519",
    14);

CK_ATTRIBUTE Attr(CK_ATTRIBUTE_TYPE type, const void* value, size_t len) {
  return CK_ATTRIBUTE{type, const_cast<void*>(value), static_cast<CK_ULONG>(len)};
}
CK_ATTRIBUTE Attr(CK_ATTRIBUTE_TYPE type, const std::string& s) {
  return Attr(type, s.data(), s.size());
}

CK_BBOOL kTrue = CK_TRUE;
CK_BBOOL kFalse = CK_FALSE;

// CKA_EC_POINT is a DER OCTET STRING holding the point (PKCS#11 Mechanisms
// §2.3.3); some tokens return the bare point. Told apart by the length.
std::string UnwrapEcPoint(const std::string& v, size_t point_len) {
  if (v.size() == point_len + 2 && v[0] == '\x04' &&
      static_cast<unsigned char>(v[1]) == point_len) {
    return v.substr(2);
  }
  return v;
}

}  // namespace

StatusOr<CK_OBJECT_HANDLE> Pkcs11Token::Impl::FindOne(CK_OBJECT_CLASS cls, std::string_view label) {
  std::string l(label);
  CK_ATTRIBUTE tmpl[] = {Attr(CKA_CLASS, &cls, sizeof(cls)), Attr(CKA_LABEL, l)};
  CK_RV rv = fn()->C_FindObjectsInit(session, tmpl, 2);
  if (rv != CKR_OK) return Pkcs11Error("C_FindObjectsInit", rv);
  CK_OBJECT_HANDLE found[2];
  CK_ULONG n = 0;
  rv = fn()->C_FindObjects(session, found, 2, &n);
  fn()->C_FindObjectsFinal(session);
  if (rv != CKR_OK) return Pkcs11Error("C_FindObjects", rv);
  const char* what = cls == CKO_PRIVATE_KEY ? "private" : "public";
  if (n == 0) {
    return NotFoundError(std::string("no ") + what + " key labelled \"" + l + "\" in token " +
                         token_label);
  }
  if (n > 1) return FailedPreconditionError("several " + std::string(what) + " keys labelled " + l);
  return found[0];
}

StatusOr<bool> Pkcs11Token::Impl::LabelInUse(std::string_view label) {
  std::string l(label);
  CK_ATTRIBUTE tmpl[] = {Attr(CKA_LABEL, l)};
  CK_RV rv = fn()->C_FindObjectsInit(session, tmpl, 1);
  if (rv != CKR_OK) return Pkcs11Error("C_FindObjectsInit", rv);
  CK_OBJECT_HANDLE found;
  CK_ULONG n = 0;
  rv = fn()->C_FindObjects(session, &found, 1, &n);
  fn()->C_FindObjectsFinal(session);
  if (rv != CKR_OK) return Pkcs11Error("C_FindObjects", rv);
  return n > 0;
}

StatusOr<std::string> Pkcs11Token::Impl::GetAttribute(CK_OBJECT_HANDLE obj,
                                                      CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a = Attr(type, nullptr, 0);
  CK_RV rv = fn()->C_GetAttributeValue(session, obj, &a, 1);
  if (rv != CKR_OK) return Pkcs11Error("C_GetAttributeValue", rv);
  std::string value(a.ulValueLen, '\0');
  a.pValue = value.data();
  rv = fn()->C_GetAttributeValue(session, obj, &a, 1);
  if (rv != CKR_OK) return Pkcs11Error("C_GetAttributeValue", rv);
  value.resize(a.ulValueLen);
  return value;
}

StatusOr<KeyAlg> Pkcs11Token::Impl::KeyAlgOf(CK_OBJECT_HANDLE obj) {
  VT_ASSIGN_OR_RETURN(std::string type, GetAttribute(obj, CKA_KEY_TYPE));
  VT_ASSIGN_OR_RETURN(std::string params, GetAttribute(obj, CKA_EC_PARAMS));
  CK_KEY_TYPE kt = CKK_VENDOR_DEFINED;
  if (type.size() == sizeof(kt)) std::memcpy(&kt, type.data(), sizeof(kt));
  if (kt == CKK_EC && params == kP256Params) return KeyAlg::kP256;
  if (kt == CKK_EC_EDWARDS && (params == kEd25519Params || params == kEd25519NameParams)) {
    return KeyAlg::kEd25519;
  }
  return UnimplementedError("PKCS#11 key is neither P-256 nor Ed25519");
}

StatusOr<PublicKey> Pkcs11Token::Impl::ReadPublicKey(CK_OBJECT_HANDLE pub) {
  VT_ASSIGN_OR_RETURN(KeyAlg alg, KeyAlgOf(pub));
  VT_ASSIGN_OR_RETURN(std::string point, GetAttribute(pub, CKA_EC_POINT));
  return PublicKey::FromRawBytes(alg, UnwrapEcPoint(point, alg == KeyAlg::kP256 ? 65 : 32));
}

StatusOr<std::string> Pkcs11Token::Impl::SignRaw(CK_OBJECT_HANDLE key, CK_MECHANISM_TYPE mech,
                                                 std::string_view data) {
  CK_MECHANISM m = {mech, nullptr, 0};
  CK_RV rv = fn()->C_SignInit(session, &m, key);
  if (rv != CKR_OK) return Pkcs11Error("C_SignInit", rv);
  auto* in = reinterpret_cast<CK_BYTE*>(const_cast<char*>(data.data()));
  CK_ULONG len = 0;
  // A length query leaves the operation active (PKCS#11 v2.40 §5.2).
  rv = fn()->C_Sign(session, in, data.size(), nullptr, &len);
  if (rv != CKR_OK) return Pkcs11Error("C_Sign", rv);
  std::string sig(len, '\0');
  rv = fn()->C_Sign(session, in, data.size(), reinterpret_cast<CK_BYTE*>(sig.data()), &len);
  if (rv != CKR_OK) return Pkcs11Error("C_Sign", rv);
  sig.resize(len);
  return sig;
}

Pkcs11Token::Pkcs11Token(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Pkcs11Token::~Pkcs11Token() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  // Closing the process's last session on the token also logs it out.
  impl_->fn()->C_CloseSession(impl_->session);
}

const std::string& Pkcs11Token::token_label() const { return impl_->token_label; }

StatusOr<std::shared_ptr<Pkcs11Token>> Pkcs11Token::Open(const Pkcs11Config& config) {
  VT_ASSIGN_OR_RETURN(std::shared_ptr<Pkcs11Module> module, Pkcs11Module::Load(config.module_path));
  VT_ASSIGN_OR_RETURN(CK_SLOT_ID slot, module->FindTokenSlot(config.token_label));
  CK_FUNCTION_LIST* fn = module->fn();
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  CK_RV rv =
      fn->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session);
  if (rv != CKR_OK) return Pkcs11Error("C_OpenSession", rv);
  std::string pin = config.user_pin;
  rv = fn->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()), pin.size());
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
    fn->C_CloseSession(session);
    return Pkcs11Error("C_Login", rv);
  }
  auto impl = std::make_unique<Impl>();
  impl->module = std::move(module);
  impl->token_label = config.token_label;
  impl->session = session;
  return std::shared_ptr<Pkcs11Token>(new Pkcs11Token(std::move(impl)));
}

StatusOr<PublicKey> Pkcs11Token::GetPublicKey(std::string_view key_label) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  VT_ASSIGN_OR_RETURN(CK_OBJECT_HANDLE pub, impl_->FindOne(CKO_PUBLIC_KEY, key_label));
  return impl_->ReadPublicKey(pub);
}

StatusOr<PublicKey> Pkcs11Token::GenerateKeyPair(KeyAlg alg, std::string_view key_label) {
  if (alg == KeyAlg::kSm2) {
    return UnimplementedError("PKCS#11 tokens cannot hold SM2 keys here (no SM2 mechanism)");
  }
  if (key_label.empty()) return InvalidArgumentError("empty key label");
  std::lock_guard<std::mutex> lock(impl_->mu);
  VT_ASSIGN_OR_RETURN(bool taken, impl_->LabelInUse(key_label));
  if (taken) return AlreadyExistsError("label \"" + std::string(key_label) + "\" is in use");
  std::string label(key_label);
  std::string id = Sha256(label).substr(0, 16);
  const std::string& params = alg == KeyAlg::kP256 ? kP256Params : kEd25519Params;
  CK_ATTRIBUTE pub_tmpl[] = {
      Attr(CKA_TOKEN, &kTrue, 1),    Attr(CKA_PRIVATE, &kFalse, 1), Attr(CKA_VERIFY, &kTrue, 1),
      Attr(CKA_ENCRYPT, &kFalse, 1), Attr(CKA_WRAP, &kFalse, 1),    Attr(CKA_DERIVE, &kFalse, 1),
      Attr(CKA_EC_PARAMS, params),   Attr(CKA_LABEL, label),        Attr(CKA_ID, id)};
  CK_ATTRIBUTE priv_tmpl[] = {Attr(CKA_TOKEN, &kTrue, 1),     Attr(CKA_PRIVATE, &kTrue, 1),
                              Attr(CKA_SENSITIVE, &kTrue, 1), Attr(CKA_EXTRACTABLE, &kFalse, 1),
                              Attr(CKA_SIGN, &kTrue, 1),      Attr(CKA_DECRYPT, &kFalse, 1),
                              Attr(CKA_UNWRAP, &kFalse, 1),   Attr(CKA_DERIVE, &kFalse, 1),
                              Attr(CKA_LABEL, label),         Attr(CKA_ID, id)};
  CK_MECHANISM mech = {alg == KeyAlg::kP256 ? CKM_EC_KEY_PAIR_GEN : CKM_EC_EDWARDS_KEY_PAIR_GEN,
                       nullptr, 0};
  CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
  CK_RV rv = impl_->fn()->C_GenerateKeyPair(impl_->session, &mech, pub_tmpl, std::size(pub_tmpl),
                                            priv_tmpl, std::size(priv_tmpl), &pub, &priv);
  if (rv != CKR_OK) return Pkcs11Error("C_GenerateKeyPair", rv);
  return impl_->ReadPublicKey(pub);
}

}  // namespace vt::crypto
