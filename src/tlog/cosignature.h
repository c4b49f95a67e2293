// c2sp.org/tlog-cosignature, Ed25519 cosignatures (signature type 0x04):
//   key ID    = SHA-256(name || "\n" || 0x04 || 32-byte public key)[:4]
//   signature = u64 big-endian timestamp || Ed25519 signature over
//               "cosignature/v1\ntime <timestamp>\n" || checkpoint text
// A cosignature is an ordinary note signature line on the checkpoint, so
// cosignature verifiers plug into OpenNote next to the log's key. Keys
// print as vkeys of type 0x04 (note_keys.h: ParseVerifierKey reads them).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/key.h"
#include "crypto/signer.h"
#include "tlog/note.h"
#include "tlog/note_keys.h"

namespace vt::tlog {

inline constexpr uint64_t kMaxCosignatureTimestamp = (uint64_t{1} << 63) - 1;

// "cosignature/v1\ntime <ts>\n" || checkpoint_text (tlog-cosignature
// "Ed25519 signed message").
std::string CosignedMessage(std::string_view checkpoint_text, uint64_t timestamp);

// The timestamp of a cosignature's bytes (after the key ID); InvalidArgument
// unless they are 8 + 64 bytes with a timestamp <= 2^63 - 1.
StatusOr<uint64_t> CosignatureTimestamp(std::string_view signature);

// A type-0x04 verifier (shareable, immutable). InvalidArgument unless the key
// is Ed25519 and the name valid.
StatusOr<std::shared_ptr<const NoteVerifier>> NewCosignatureVerifier(std::string_view name,
                                                                     const crypto::PublicKey& key);

// A witness's cosigning key. Thread-safe if the crypto::Signer is.
class Cosigner {
 public:
  // InvalidArgument unless signer->alg() is Ed25519 and the name is valid.
  static StatusOr<std::unique_ptr<Cosigner>> Create(std::string_view name,
                                                    std::shared_ptr<crypto::Signer> signer);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // The type-0x04 vkey clients configure.
  std::string VerifierKey() const;
  // Cosigns `checkpoint_text` (the checkpoint note text, with its final
  // newline) at `timestamp` (POSIX seconds). InvalidArgument for an invalid
  // text or timestamp; signer errors are passed through.
  StatusOr<NoteSignature> Cosign(std::string_view checkpoint_text, uint64_t timestamp);

 private:
  Cosigner(std::string name, std::shared_ptr<crypto::Signer> signer);
  std::string name_;
  std::shared_ptr<crypto::Signer> signer_;
  uint32_t key_id_;
};

}  // namespace vt::tlog
