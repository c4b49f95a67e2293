// c2sp.org/signed-note v1.0.0: the note format (text, blank line, signature
// lines "— <name> base64(keyID[4] || signature)"), key names and key IDs.
// Signing and verifying keys are in note_keys.h; OpenNote/SignNote below tie
// them together. All functions are pure and thread-safe (verifiers and
// signers document their own thread safety).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vt::tlog {

// Signature type identifier bytes (signed-note "Signature types").
inline constexpr uint8_t kSigTypeEd25519 = 0x01;
inline constexpr uint8_t kSigTypeCosignature = 0x04;  // c2sp.org/tlog-cosignature v1
// Verifiers must accept at least 16 signatures; we cap at 100 (as Go does).
inline constexpr size_t kMaxNoteSignatures = 100;
inline constexpr size_t kMaxNoteBytes = 1 << 20;
inline constexpr std::string_view kEmDashSpace = "\xE2\x80\x94 ";  // U+2014 U+0020

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;  // the bytes after the 4-byte key ID
  bool operator==(const NoteSignature&) const = default;
};

struct Note {
  std::string text;  // includes its final '\n'
  std::vector<NoteSignature> signatures;
  bool operator==(const Note&) const = default;
};

// Non-empty, valid UTF-8, no Unicode White_Space and no '+'.
bool IsValidKeyName(std::string_view name);
// Valid UTF-8, no control characters other than '\n', ends in '\n'.
// InvalidArgument naming the problem otherwise.
Status ValidateNoteText(std::string_view text);
// SHA-256(name || 0x0A || type || public_key)[:4] as a big-endian uint32.
uint32_t KeyId(std::string_view name, uint8_t sig_type, std::string_view public_key);

// "— <name> <base64(keyID || sig)>\n". Precondition: IsValidKeyName(name).
std::string FormatSignatureLine(const NoteSignature& sig);
// Parses signature lines (each ending in '\n'), e.g. a witness response.
// InvalidArgument on any malformed line or more than kMaxNoteSignatures.
StatusOr<std::vector<NoteSignature>> ParseSignatureLines(std::string_view lines);

// Splits a signed note at its last blank line and parses the signature
// lines. Structure only: nothing is verified. InvalidArgument if the note is
// not valid UTF-8, has control characters, has no signature lines, has a
// malformed line, or has more than kMaxNoteSignatures signatures.
StatusOr<Note> ParseNote(std::string_view msg);
// text || "\n" || signature lines. InvalidArgument if the text or a name is
// invalid or there are no signatures.
StatusOr<std::string> FormatNote(const Note& note);

class NoteVerifier;
class NoteSigner;
using NoteVerifiers = std::vector<std::shared_ptr<const NoteVerifier>>;

struct VerifiedNote {
  std::string text;
  std::vector<NoteSignature> verified;    // by known keys, in note order
  std::vector<NoteSignature> unverified;  // by unknown (name, key ID) pairs
};

// Parses and verifies a note (signed-note "Signatures"): signatures by unknown
// (name, key ID) pairs are ignored (kept in `unverified`, duplicates dropped);
// every signature by a known key must verify, else PermissionDenied; a known
// key signing twice is InvalidArgument; PermissionDenied if no known key
// signed. Malformed notes are InvalidArgument.
StatusOr<VerifiedNote> OpenNote(std::string_view msg, const NoteVerifiers& known);

// Signs `text` with each signer, in order, and formats the note. Fails if the
// text is invalid or a signer fails (its error is returned).
StatusOr<std::string> SignNote(std::string_view text, const std::vector<NoteSigner*>& signers);

}  // namespace vt::tlog
