#include "crypto/signer.h"

#include <utility>

namespace vt::crypto {
namespace {

// The key is immutable and OpenSSL 3 signs with per-call contexts, so Sign
// needs no lock.
class SoftwareSigner final : public Signer {
 public:
  SoftwareSigner(PrivateKey key, std::string description)
      : key_(std::move(key)), public_(key_.Public()), description_(std::move(description)) {}

  KeyAlg alg() const override { return key_.alg(); }
  const PublicKey& public_key() const override { return public_; }
  StatusOr<std::string> Sign(std::string_view message) override { return key_.Sign(message); }
  std::string Describe() const override { return description_; }

 private:
  const PrivateKey key_;
  const PublicKey public_;
  const std::string description_;
};

}  // namespace

std::unique_ptr<Signer> MakeSoftwareSigner(PrivateKey key, std::string description) {
  return std::make_unique<SoftwareSigner>(std::move(key), std::move(description));
}

}  // namespace vt::crypto
