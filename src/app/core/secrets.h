// Keys kept in the data directory: a random key-encryption key (KEK) in
// DIR/secrets/kek (mode 0600) and private keys sealed under it (encrypted PKCS#8,
// see crypto::SealKeyPem) in DIR/secrets/<name>.key. Private keys are never
// written in the clear and never logged.
#pragma once

#include <string>

#include "base/rng.h"
#include "base/status.h"
#include "crypto/key.h"

namespace vt::app {

class Secrets {
 public:
  // Opens DIR/secrets, creating the directory and the KEK (from `rng`) on first
  // use. The Service does when it opens a data directory, and the witness set-up.
  static StatusOr<Secrets> OpenOrCreate(const std::string& data_dir, Rng& rng);
  // Opens DIR/secrets whose KEK exists already (created by OpenOrCreate).
  // NotFound if it does not.
  static StatusOr<Secrets> Open(const std::string& data_dir);
  // Loads key `name`, or generates it with `alg`, seals it and stores it if it does
  // not exist yet.
  StatusOr<crypto::PrivateKey> LoadOrCreate(const std::string& name, crypto::KeyAlg alg);
  StatusOr<crypto::PrivateKey> Load(const std::string& name);
  Status Store(const std::string& name, const crypto::PrivateKey& key);

 private:
  Secrets(std::string dir, std::string kek) : dir_(std::move(dir)), kek_(std::move(kek)) {}
  std::string dir_;
  std::string kek_;
};

}  // namespace vt::app
