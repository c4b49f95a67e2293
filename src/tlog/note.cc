#include "tlog/note.h"

#include <set>
#include <utility>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "tlog/note_keys.h"

namespace vt::tlog {
namespace {

// Decodes one UTF-8 code point at s[*i] (input known valid), advancing *i.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  const uint8_t c = s[*i];
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (uint8_t(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

// The Unicode White_Space property (as Go's unicode.IsSpace).
bool IsUnicodeSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

Status CheckCharacters(std::string_view s) {
  if (!IsValidUtf8(s)) return InvalidArgumentError("note: not valid UTF-8");
  for (char c : s) {
    if (static_cast<uint8_t>(c) < 0x20 && c != '\n') {
      return InvalidArgumentError("note: control character in note");
    }
  }
  return OkStatus();
}

StatusOr<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (!line.starts_with(kEmDashSpace)) {
    return InvalidArgumentError("note: signature line does not start with an em dash and space");
  }
  line.remove_prefix(kEmDashSpace.size());
  const size_t space = line.find(' ');
  if (space == std::string_view::npos)
    return InvalidArgumentError("note: signature line has no space");
  NoteSignature sig;
  sig.name = std::string(line.substr(0, space));
  if (!IsValidKeyName(sig.name)) return InvalidArgumentError("note: invalid key name in signature");
  StatusOr<std::string> raw = Base64Decode(line.substr(space + 1));
  if (!raw.ok() || raw->size() < 5) {
    return InvalidArgumentError("note: malformed signature by " + sig.name);
  }
  sig.key_id = (uint32_t(uint8_t((*raw)[0])) << 24) | (uint32_t(uint8_t((*raw)[1])) << 16) |
               (uint32_t(uint8_t((*raw)[2])) << 8) | uint32_t(uint8_t((*raw)[3]));
  sig.signature = raw->substr(4);
  return sig;
}

}  // namespace

bool IsValidKeyName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name)) return false;
  for (size_t i = 0; i < name.size();) {
    const uint32_t cp = NextCodePoint(name, &i);
    if (cp == '+' || IsUnicodeSpace(cp)) return false;
  }
  return true;
}

Status ValidateNoteText(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgumentError("note: text must end in a newline");
  }
  if (text.size() > kMaxNoteBytes) return InvalidArgumentError("note: text too large");
  return CheckCharacters(text);
}

uint32_t KeyId(std::string_view name, uint8_t sig_type, std::string_view public_key) {
  std::string data(name);
  data.push_back('\n');
  data.push_back(static_cast<char>(sig_type));
  data.append(public_key);
  const std::string h = crypto::Sha256(data);
  return (uint32_t(uint8_t(h[0])) << 24) | (uint32_t(uint8_t(h[1])) << 16) |
         (uint32_t(uint8_t(h[2])) << 8) | uint32_t(uint8_t(h[3]));
}

std::string FormatSignatureLine(const NoteSignature& sig) {
  std::string raw;
  for (int shift = 24; shift >= 0; shift -= 8) raw.push_back(char((sig.key_id >> shift) & 0xFF));
  raw.append(sig.signature);
  return std::string(kEmDashSpace) + sig.name + " " + Base64Encode(raw) + "\n";
}

StatusOr<std::vector<NoteSignature>> ParseSignatureLines(std::string_view lines) {
  VT_RETURN_IF_ERROR(CheckCharacters(lines));
  if (lines.empty()) return InvalidArgumentError("note: no signature lines");
  if (lines.back() != '\n') {
    return InvalidArgumentError("note: signature lines must end in a newline");
  }
  std::vector<NoteSignature> sigs;
  for (size_t start = 0; start < lines.size();) {
    const size_t end = lines.find('\n', start);
    if (sigs.size() == kMaxNoteSignatures) return InvalidArgumentError("note: too many signatures");
    VT_ASSIGN_OR_RETURN(NoteSignature sig, ParseSignatureLine(lines.substr(start, end - start)));
    sigs.push_back(std::move(sig));
    start = end + 1;
  }
  return sigs;
}

StatusOr<Note> ParseNote(std::string_view msg) {
  if (msg.size() > kMaxNoteBytes) return InvalidArgumentError("note: too large");
  VT_RETURN_IF_ERROR(CheckCharacters(msg));
  const size_t split = msg.rfind("\n\n");
  if (split == std::string_view::npos) return InvalidArgumentError("note: no blank line");
  Note note;
  note.text = std::string(msg.substr(0, split + 1));
  VT_ASSIGN_OR_RETURN(note.signatures, ParseSignatureLines(msg.substr(split + 2)));
  return note;
}

StatusOr<std::string> FormatNote(const Note& note) {
  VT_RETURN_IF_ERROR(ValidateNoteText(note.text));
  if (note.signatures.empty()) return InvalidArgumentError("note: no signatures");
  std::string out = note.text + "\n";
  for (const NoteSignature& sig : note.signatures) {
    if (!IsValidKeyName(sig.name)) return InvalidArgumentError("note: invalid key name");
    out += FormatSignatureLine(sig);
  }
  return out;
}

StatusOr<VerifiedNote> OpenNote(std::string_view msg, const NoteVerifiers& known) {
  VT_ASSIGN_OR_RETURN(Note note, ParseNote(msg));
  VerifiedNote out;
  std::set<std::pair<std::string, uint32_t>> seen;
  for (NoteSignature& sig : note.signatures) {
    const NoteVerifier* v = nullptr;
    for (const auto& k : known) {
      if (k->name() == sig.name && k->key_id() == sig.key_id) v = k.get();
    }
    if (v == nullptr) {
      bool dup = false;
      for (const NoteSignature& u : out.unverified) dup = dup || u == sig;
      if (!dup) out.unverified.push_back(std::move(sig));
      continue;
    }
    if (!seen.insert({sig.name, sig.key_id}).second) {
      return InvalidArgumentError("note: key " + sig.name + " signed more than once");
    }
    Status s = v->Verify(note.text, sig.signature);
    if (!s.ok()) {
      return PermissionDeniedError("note: invalid signature by " + sig.name + ": " + s.message());
    }
    out.verified.push_back(std::move(sig));
  }
  if (out.verified.empty()) {
    return PermissionDeniedError("note: no signature by a known key");
  }
  out.text = std::move(note.text);
  return out;
}

StatusOr<std::string> SignNote(std::string_view text, const std::vector<NoteSigner*>& signers) {
  VT_RETURN_IF_ERROR(ValidateNoteText(text));
  Note note{std::string(text), {}};
  for (NoteSigner* s : signers) {
    VT_ASSIGN_OR_RETURN(std::string sig, s->Sign(text));
    note.signatures.push_back({s->name(), s->key_id(), std::move(sig)});
  }
  return FormatNote(note);
}

}  // namespace vt::tlog
