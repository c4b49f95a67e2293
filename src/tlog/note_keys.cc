#include "tlog/note_keys.h"

#include <cstdio>
#include <utility>

#include "base/encoding.h"
#include "tlog/cosignature.h"

namespace vt::tlog {
namespace {

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08x", v);
  return buf;
}

class Ed25519Verifier : public NoteVerifier {
 public:
  Ed25519Verifier(std::string name, crypto::PublicKey key)
      : name_(std::move(name)),
        key_(std::move(key)),
        key_id_(KeyId(name_, kSigTypeEd25519, key_.RawBytes())) {}
  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  uint8_t sig_type() const override { return kSigTypeEd25519; }
  Status Verify(std::string_view text, std::string_view signature) const override {
    if (signature.size() != 64) return InvalidArgumentError("Ed25519 signature must be 64 bytes");
    return key_.Verify(text, signature);
  }
  std::string VerifierKey() const override {
    return FormatVerifierKey(name_, kSigTypeEd25519, key_.RawBytes());
  }

 private:
  std::string name_;
  crypto::PublicKey key_;
  uint32_t key_id_;
};

class Ed25519Signer : public NoteSigner {
 public:
  Ed25519Signer(std::string name, std::shared_ptr<crypto::Signer> signer)
      : name_(std::move(name)),
        signer_(std::move(signer)),
        key_id_(KeyId(name_, kSigTypeEd25519, signer_->public_key().RawBytes())) {}
  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  StatusOr<std::string> Sign(std::string_view text) override { return signer_->Sign(text); }

 private:
  std::string name_;
  std::shared_ptr<crypto::Signer> signer_;
  uint32_t key_id_;
};

struct KeyParts {
  std::string name;
  uint32_t key_id = 0;
  uint8_t type = 0;
  std::string key;  // after the type byte
};

// Parses "<name>+<hex8>+<base64(type || key)>".
StatusOr<KeyParts> SplitKey(std::string_view s, std::string_view what) {
  const size_t p1 = s.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : s.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return InvalidArgumentError(std::string(what) + ": malformed");
  KeyParts parts;
  parts.name = std::string(s.substr(0, p1));
  std::string_view hex = s.substr(p1 + 1, p2 - p1 - 1);
  if (!IsValidKeyName(parts.name)) return InvalidArgumentError(std::string(what) + ": bad name");
  StatusOr<std::string> id = HexDecode(hex);
  StatusOr<std::string> raw = Base64Decode(s.substr(p2 + 1));
  if (hex.size() != 8 || !id.ok() || !raw.ok() || raw->size() < 2) {
    return InvalidArgumentError(std::string(what) + ": malformed key ID or key");
  }
  for (char c : *id) parts.key_id = (parts.key_id << 8) | uint8_t(c);
  parts.type = static_cast<uint8_t>((*raw)[0]);
  parts.key = raw->substr(1);
  return parts;
}

}  // namespace

std::string FormatVerifierKey(std::string_view name, uint8_t sig_type,
                              std::string_view public_key) {
  std::string raw(1, static_cast<char>(sig_type));
  raw.append(public_key);
  return std::string(name) + "+" + Hex8(KeyId(name, sig_type, public_key)) + "+" +
         Base64Encode(raw);
}

StatusOr<std::shared_ptr<const NoteVerifier>> ParseVerifierKey(std::string_view vkey) {
  VT_ASSIGN_OR_RETURN(KeyParts parts, SplitKey(vkey, "verifier key"));
  if (KeyId(parts.name, parts.type, parts.key) != parts.key_id) {
    return InvalidArgumentError("verifier key: key ID does not match name and key");
  }
  if (parts.type != kSigTypeEd25519 && parts.type != kSigTypeCosignature) {
    return InvalidArgumentError("verifier key: unsupported signature type " +
                                std::to_string(parts.type));
  }
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, crypto::PublicKey::FromEd25519Raw(parts.key));
  if (parts.type == kSigTypeCosignature) return NewCosignatureVerifier(parts.name, key);
  return NewEd25519NoteVerifier(parts.name, key);
}

StatusOr<std::shared_ptr<const NoteVerifier>> NewEd25519NoteVerifier(std::string_view name,
                                                                     const crypto::PublicKey& key) {
  if (!IsValidKeyName(name)) return InvalidArgumentError("invalid key name");
  if (key.alg() != crypto::KeyAlg::kEd25519) {
    return InvalidArgumentError("note keys must be Ed25519");
  }
  return std::shared_ptr<const NoteVerifier>(
      std::make_shared<Ed25519Verifier>(std::string(name), key));
}

StatusOr<std::unique_ptr<NoteSigner>> NewEd25519NoteSigner(std::string_view name,
                                                           std::shared_ptr<crypto::Signer> signer) {
  if (!IsValidKeyName(name)) return InvalidArgumentError("invalid key name");
  if (signer == nullptr || signer->alg() != crypto::KeyAlg::kEd25519) {
    return InvalidArgumentError("note signing keys must be Ed25519");
  }
  return std::unique_ptr<NoteSigner>(
      std::make_unique<Ed25519Signer>(std::string(name), std::move(signer)));
}

StatusOr<std::unique_ptr<NoteSigner>> ParseSignerKey(std::string_view skey) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (!skey.starts_with(kPrefix)) return InvalidArgumentError("signer key: missing PRIVATE+KEY+");
  VT_ASSIGN_OR_RETURN(KeyParts parts, SplitKey(skey.substr(kPrefix.size()), "signer key"));
  if (parts.type != kSigTypeEd25519) return InvalidArgumentError("signer key: not Ed25519");
  VT_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::FromEd25519Seed(parts.key));
  if (KeyId(parts.name, kSigTypeEd25519, key.Public().RawBytes()) != parts.key_id) {
    return InvalidArgumentError("signer key: key ID does not match name and key");
  }
  return NewEd25519NoteSigner(parts.name, crypto::MakeSoftwareSigner(std::move(key), "skey"));
}

StatusOr<std::string> FormatSignerKey(std::string_view name, std::string_view seed32) {
  if (!IsValidKeyName(name)) return InvalidArgumentError("invalid key name");
  VT_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::FromEd25519Seed(seed32));
  std::string raw(1, static_cast<char>(kSigTypeEd25519));
  raw.append(seed32);
  return "PRIVATE+KEY+" + std::string(name) + "+" +
         Hex8(KeyId(name, kSigTypeEd25519, key.Public().RawBytes())) + "+" + Base64Encode(raw);
}

}  // namespace vt::tlog
