// Note signers and verifiers (c2sp.org/signed-note) and the text key formats:
//   vkey: <name>+<hex8 key ID>+<base64(type || public key)>
//   skey: PRIVATE+KEY+<name>+<hex8 key ID>+<base64(0x01 || Ed25519 seed)>
// (the formats of golang.org/x/mod/sumdb/note). Ed25519 note signatures are
// type 0x01; tlog-cosignature v1 keys (type 0x04) are in cosignature.h and
// parse through ParseVerifierKey too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/key.h"
#include "crypto/signer.h"
#include "tlog/note.h"

namespace vt::tlog {

// A key that can verify note signatures. Immutable after construction and
// safe to share between threads.
class NoteVerifier {
 public:
  virtual ~NoteVerifier() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  virtual uint8_t sig_type() const = 0;
  // OK iff `signature` (the bytes after the key ID) is valid for `text` (the
  // note text including its final newline); InvalidArgument otherwise.
  virtual Status Verify(std::string_view text, std::string_view signature) const = 0;
  // The vkey string of this key.
  virtual std::string VerifierKey() const = 0;
};

// A key that signs note text. Thread-safe if the underlying crypto::Signer is.
class NoteSigner {
 public:
  virtual ~NoteSigner() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  // The signature bytes (without the key ID) over `text`. Errors come from the
  // key custody (e.g. Unavailable for a missing token).
  virtual StatusOr<std::string> Sign(std::string_view text) = 0;
};

// "<name>+<hex8(KeyId)>+<base64(type || public_key)>". Precondition: valid name.
std::string FormatVerifierKey(std::string_view name, uint8_t sig_type, std::string_view public_key);

// Parses a vkey of type 0x01 (Ed25519 note key) or 0x04 (Ed25519 cosignature
// key). InvalidArgument if malformed, if the key ID does not match the
// name and key, or the type is unsupported.
StatusOr<std::shared_ptr<const NoteVerifier>> ParseVerifierKey(std::string_view vkey);

// An Ed25519 (type 0x01) verifier for `name`. InvalidArgument unless the key
// is Ed25519 and the name is valid.
StatusOr<std::shared_ptr<const NoteVerifier>> NewEd25519NoteVerifier(std::string_view name,
                                                                     const crypto::PublicKey& key);

// An Ed25519 (type 0x01) note signer over a key custody Signer, which it
// shares. InvalidArgument unless signer->alg() is Ed25519 and the name valid.
StatusOr<std::unique_ptr<NoteSigner>> NewEd25519NoteSigner(std::string_view name,
                                                           std::shared_ptr<crypto::Signer> signer);

// Parses an Ed25519 skey into a software signer (checks the key ID).
StatusOr<std::unique_ptr<NoteSigner>> ParseSignerKey(std::string_view skey);
// The skey of an Ed25519 seed. Keep the result secret.
StatusOr<std::string> FormatSignerKey(std::string_view name, std::string_view seed32);

}  // namespace vt::tlog
