// Keys kept in the data directory: private keys sealed (encrypted PKCS#8, see
// crypto::SealKeyPem) under a random key-encryption key (KEK) in
// DIR/secrets/<name>.key. Private keys are never written in the clear and never
// logged.
//
// Where the KEK comes from is Config::kek (docs/operations.md, "Key-encryption
// key"):
//   "file:/abs/path" (or a bare absolute path)  a file holding the KEK in hex
//   "env:NAME"                                   the environment variable NAME
//   "credential:NAME"                            the systemd credential NAME,
//                                                $CREDENTIALS_DIRECTORY/NAME
//   ""                                           DIR/secrets/kek: the local KEK,
//                                                inside the data directory
//                                                (`vtrust serve` refuses it unless
//                                                --insecure-local-kek)
#pragma once

#include <string>

#include "app/core/config.h"
#include "base/rng.h"
#include "base/status.h"
#include "crypto/key.h"

namespace vt::app {

// Where a data directory's KEK is read from (Config::kek, parsed).
struct KekSource {
  enum class Kind { kLocal, kFile, kEnv, kCredential } kind = Kind::kLocal;
  std::string name;  // the file path (kLocal: DIR/secrets/kek), variable or credential name
  // A description for messages: "file /path", "environment variable NAME", ...
  std::string Describe() const;
};

// Parses `config.kek`. InvalidArgument (field "kek") for a malformed value.
StatusOr<KekSource> ParseKekSource(const Config& config);

// The KEK file path of a source that is a file (kLocal, kFile, kCredential
// resolved against $CREDENTIALS_DIRECTORY); "" for an environment variable.
// FailedPrecondition for a credential when $CREDENTIALS_DIRECTORY is not set.
StatusOr<std::string> KekFilePath(const KekSource& source);

// Creates a fresh random KEK (32 bytes) in the file `path` (mode 0600; the
// parent directory is created with mode 0700 if needed). AlreadyExists if the
// file exists.
Status CreateKekFile(const std::string& path, Rng& rng);

class Secrets {
 public:
  // Opens DIR/secrets of `config.data_dir`, creating the directory on first use,
  // and the KEK too when it is the local one (DIR/secrets/kek) and missing. An
  // external KEK (file, environment, credential) must exist already: NotFound
  // otherwise. The Service does this when it opens a data directory.
  static StatusOr<Secrets> OpenOrCreate(const Config& config, Rng& rng);
  // Opens DIR/secrets with the KEK of `config`. NotFound if the KEK is missing
  // (a data directory copied without its KEK); DataLoss if it is malformed.
  static StatusOr<Secrets> Open(const Config& config);
  // A directory with the local KEK DIR/secrets/kek (witness directories).
  static StatusOr<Secrets> OpenOrCreate(const std::string& dir, Rng& rng);
  static StatusOr<Secrets> Open(const std::string& dir);

  // Loads key `name`, or generates it with `alg`, seals it and stores it if it does
  // not exist yet.
  StatusOr<crypto::PrivateKey> LoadOrCreate(const std::string& name, crypto::KeyAlg alg);
  StatusOr<crypto::PrivateKey> Load(const std::string& name);
  Status Store(const std::string& name, const crypto::PrivateKey& key);
  // Deletes the sealed key `name` (DIR/secrets/<name>.key) and syncs the
  // directory. NotFound if there is none.
  Status Remove(const std::string& name);
  // The PEM sealed under this KEK (for export files) and back.
  StatusOr<std::string> Seal(const crypto::PrivateKey& key) const;
  StatusOr<crypto::PrivateKey> Unseal(const std::string& pem) const;

 private:
  Secrets(std::string dir, std::string kek) : dir_(std::move(dir)), kek_(std::move(kek)) {}
  static StatusOr<Secrets> OpenWithSource(const std::string& data_dir, const KekSource& source);
  std::string dir_;
  std::string kek_;
};

}  // namespace vt::app
