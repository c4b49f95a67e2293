#include "tlog/cosignature.h"

#include <utility>

namespace vt::tlog {
namespace {

class CosignatureVerifier : public NoteVerifier {
 public:
  CosignatureVerifier(std::string name, crypto::PublicKey key)
      : name_(std::move(name)),
        key_(std::move(key)),
        key_id_(KeyId(name_, kSigTypeCosignature, key_.RawBytes())) {}
  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  uint8_t sig_type() const override { return kSigTypeCosignature; }
  Status Verify(std::string_view text, std::string_view signature) const override {
    VT_ASSIGN_OR_RETURN(uint64_t ts, CosignatureTimestamp(signature));
    return key_.Verify(CosignedMessage(text, ts), signature.substr(8));
  }
  std::string VerifierKey() const override {
    return FormatVerifierKey(name_, kSigTypeCosignature, key_.RawBytes());
  }

 private:
  std::string name_;
  crypto::PublicKey key_;
  uint32_t key_id_;
};

}  // namespace

std::string CosignedMessage(std::string_view checkpoint_text, uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpoint_text);
}

StatusOr<uint64_t> CosignatureTimestamp(std::string_view signature) {
  if (signature.size() != 8 + 64) {
    return InvalidArgumentError("cosignature must be 72 bytes, got " +
                                std::to_string(signature.size()));
  }
  uint64_t ts = 0;
  for (int i = 0; i < 8; ++i) ts = (ts << 8) | uint8_t(signature[i]);
  if (ts > kMaxCosignatureTimestamp) return InvalidArgumentError("cosignature timestamp too large");
  return ts;
}

StatusOr<std::shared_ptr<const NoteVerifier>> NewCosignatureVerifier(std::string_view name,
                                                                     const crypto::PublicKey& key) {
  if (!IsValidKeyName(name)) return InvalidArgumentError("invalid cosigner name");
  if (key.alg() != crypto::KeyAlg::kEd25519) {
    return InvalidArgumentError("cosignature keys must be Ed25519");
  }
  return std::shared_ptr<const NoteVerifier>(
      std::make_shared<CosignatureVerifier>(std::string(name), key));
}

Cosigner::Cosigner(std::string name, std::shared_ptr<crypto::Signer> signer)
    : name_(std::move(name)),
      signer_(std::move(signer)),
      key_id_(KeyId(name_, kSigTypeCosignature, signer_->public_key().RawBytes())) {}

StatusOr<std::unique_ptr<Cosigner>> Cosigner::Create(std::string_view name,
                                                     std::shared_ptr<crypto::Signer> signer) {
  if (!IsValidKeyName(name)) return InvalidArgumentError("invalid cosigner name");
  if (signer == nullptr || signer->alg() != crypto::KeyAlg::kEd25519) {
    return InvalidArgumentError("cosigning keys must be Ed25519");
  }
  return std::unique_ptr<Cosigner>(new Cosigner(std::string(name), std::move(signer)));
}

std::string Cosigner::VerifierKey() const {
  return FormatVerifierKey(name_, kSigTypeCosignature, signer_->public_key().RawBytes());
}

StatusOr<NoteSignature> Cosigner::Cosign(std::string_view checkpoint_text, uint64_t timestamp) {
  VT_RETURN_IF_ERROR(ValidateNoteText(checkpoint_text));
  if (timestamp > kMaxCosignatureTimestamp) {
    return InvalidArgumentError("cosignature timestamp too large");
  }
  VT_ASSIGN_OR_RETURN(std::string sig, signer_->Sign(CosignedMessage(checkpoint_text, timestamp)));
  std::string bytes;
  for (int shift = 56; shift >= 0; shift -= 8) bytes.push_back(char((timestamp >> shift) & 0xFF));
  bytes.append(sig);
  return NoteSignature{name_, key_id_, std::move(bytes)};
}

}  // namespace vt::tlog
