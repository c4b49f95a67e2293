// The PKCS#11 Signer (pkcs11_signer.h): CKM_ECDSA over SHA-256 with the raw
// r||s (PKCS#11 Mechanisms v2.40 §2.3.1) re-encoded as ECDSA-Sig-Value
// (RFC 3279 §2.2.3), and CKM_EDDSA (pure Ed25519, RFC 8032 §5.1.6).
#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <cctype>

#include "crypto/digest.h"
#include "crypto/pkcs11_token_internal.h"

namespace vt::crypto {
namespace {

// DER ECDSA-Sig-Value from the fixed-width big-endian r||s of PKCS#11.
StatusOr<std::string> RawToDer(const std::string& rs) {
  if (rs.size() != 64)
    return InternalError("CKM_ECDSA returned " + std::to_string(rs.size()) + " bytes, want 64");
  const auto* p = reinterpret_cast<const unsigned char*>(rs.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(p, 32, nullptr);
  BIGNUM* s = BN_bin2bn(p + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    std::abort();  // allocation failure
  }
  unsigned char* der = nullptr;
  int n = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (n <= 0) return InternalError("encoding ECDSA-Sig-Value");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

// RFC 7512 §2.3: percent-encode everything but unreserved characters.
std::string PctEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class Pkcs11Signer final : public Signer {
 public:
  Pkcs11Signer(std::shared_ptr<Pkcs11Token> token, Pkcs11Token::Impl* impl, CK_OBJECT_HANDLE key,
               PublicKey pub, std::string label)
      : token_(std::move(token)),
        impl_(impl),
        key_(key),
        public_(std::move(pub)),
        label_(std::move(label)) {}

  KeyAlg alg() const override { return public_.alg(); }
  const PublicKey& public_key() const override { return public_; }
  std::string Describe() const override {
    return "pkcs11:token=" + PctEncode(token_->token_label()) + ";object=" + PctEncode(label_);
  }

  StatusOr<std::string> Sign(std::string_view message) override {
    StatusOr<std::string> sig = SignInToken(message);
    if (!sig.ok()) return std::move(sig).status().Annotate(Describe());
    // A token that signed with another key, or returned garbage, is caught here.
    if (!public_.Verify(message, *sig).ok()) {
      return InternalError(Describe() + ": the token's signature does not verify");
    }
    return sig;
  }

 private:
  StatusOr<std::string> SignInToken(std::string_view message) {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (alg() == KeyAlg::kEd25519) return impl_->SignRaw(key_, CKM_EDDSA, message);
    VT_ASSIGN_OR_RETURN(std::string rs, impl_->SignRaw(key_, CKM_ECDSA, Sha256(message)));
    return RawToDer(rs);
  }

  const std::shared_ptr<Pkcs11Token> token_;  // keeps impl_ and the session alive
  Pkcs11Token::Impl* const impl_;
  const CK_OBJECT_HANDLE key_;
  const PublicKey public_;
  const std::string label_;
};

}  // namespace

StatusOr<std::unique_ptr<Signer>> MakePkcs11Signer(std::shared_ptr<Pkcs11Token> token,
                                                   std::string_view key_label) {
  if (token == nullptr) return InvalidArgumentError("null PKCS#11 token");
  Pkcs11Token::Impl* impl = token->impl_.get();
  std::lock_guard<std::mutex> lock(impl->mu);
  VT_ASSIGN_OR_RETURN(CK_OBJECT_HANDLE priv, impl->FindOne(CKO_PRIVATE_KEY, key_label));
  VT_ASSIGN_OR_RETURN(CK_OBJECT_HANDLE pub, impl->FindOne(CKO_PUBLIC_KEY, key_label));
  VT_ASSIGN_OR_RETURN(KeyAlg priv_alg, impl->KeyAlgOf(priv));
  VT_ASSIGN_OR_RETURN(PublicKey pub_key, impl->ReadPublicKey(pub));
  if (pub_key.alg() != priv_alg) {
    return FailedPreconditionError("public and private keys labelled " + std::string(key_label) +
                                   " differ in type");
  }
  return std::unique_ptr<Signer>(
      new Pkcs11Signer(std::move(token), impl, priv, std::move(pub_key), std::string(key_label)));
}

}  // namespace vt::crypto
