// Key custody behind one interface: a Signer holds a private key somewhere (a file
// encrypted at rest, a PKCS#11 token) and signs on request; the private key never
// leaves it. CAs, the log and the witness sign only through Signers.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/key.h"

namespace vt::crypto {

class Signer {
 public:
  virtual ~Signer() = default;
  virtual KeyAlg alg() const = 0;
  virtual const PublicKey& public_key() const = 0;
  // Signs `message` with the encoding documented in key.h (DER ECDSA/SM2 with the
  // SM2 ID, raw Ed25519). Thread-safe. Fails with Unavailable if a token is gone.
  virtual StatusOr<std::string> Sign(std::string_view message) = 0;
  // Describes where the key lives ("file:/data/keys/log.pem",
  // "pkcs11:token=vtrust;object=ca-p256").
  virtual std::string Describe() const = 0;
};

// A Signer over an in-memory software key.
std::unique_ptr<Signer> MakeSoftwareSigner(PrivateKey key, std::string description = "software");

}  // namespace vt::crypto
