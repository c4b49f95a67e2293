#include "tlog/checkpoint.h"

#include <limits>
#include <utility>

namespace vt::tlog {
namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

StatusOr<int64_t> ParseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 19) return InvalidArgumentError("not a decimal number");
  if (s.size() > 1 && s[0] == '0') return InvalidArgumentError("leading zero in number");
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return InvalidArgumentError("not a decimal number");
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return InvalidArgumentError("number too large");
  }
  return static_cast<int64_t>(v);
}

StatusOr<std::string> FormatCheckpoint(const Checkpoint& c) {
  if (c.origin.empty()) return InvalidArgumentError("checkpoint: empty origin");
  if (c.size < 0) return InvalidArgumentError("checkpoint: negative size");
  std::string text = c.origin + "\n" + std::to_string(c.size) + "\n" + HashToBase64(c.root) + "\n";
  for (const std::string& ext : c.extensions) {
    if (ext.empty()) return InvalidArgumentError("checkpoint: empty extension line");
    text += ext + "\n";
  }
  if (Lines(text).size() != 3 + c.extensions.size()) {
    return InvalidArgumentError("checkpoint: newline inside a line");
  }
  VT_RETURN_IF_ERROR(ValidateNoteText(text));
  return text;
}

StatusOr<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgumentError("checkpoint: text must end in a newline");
  }
  // A checkpoint is note text: the same rules as FormatCheckpoint (found by
  // fuzz/fuzz_checkpoint: an origin with a NUL byte parsed but did not format).
  VT_RETURN_IF_ERROR(ValidateNoteText(text));
  std::vector<std::string_view> lines = Lines(text);
  if (lines.size() < 3) return InvalidArgumentError("checkpoint: fewer than three lines");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return InvalidArgumentError("checkpoint: empty origin");
  StatusOr<int64_t> size = ParseDecimal(lines[1]);
  if (!size.ok()) return InvalidArgumentError("checkpoint: bad size: " + size.status().message());
  c.size = *size;
  StatusOr<Hash> root = HashFromBase64(lines[2]);
  if (!root.ok())
    return InvalidArgumentError("checkpoint: bad root hash: " + root.status().message());
  c.root = *root;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return InvalidArgumentError("checkpoint: empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

StatusOr<std::string> SignCheckpoint(const Checkpoint& c, const std::vector<NoteSigner*>& signers) {
  VT_ASSIGN_OR_RETURN(std::string text, FormatCheckpoint(c));
  return SignNote(text, signers);
}

StatusOr<VerifiedCheckpoint> OpenCheckpoint(std::string_view signed_note,
                                            std::string_view expected_origin,
                                            const NoteVerifiers& known) {
  VerifiedCheckpoint out;
  VT_ASSIGN_OR_RETURN(out.note, OpenNote(signed_note, known));
  VT_ASSIGN_OR_RETURN(out.checkpoint, ParseCheckpoint(out.note.text));
  if (out.checkpoint.origin != expected_origin) {
    return InvalidArgumentError("checkpoint: origin \"" + out.checkpoint.origin +
                                "\" is not the expected \"" + std::string(expected_origin) + "\"");
  }
  return out;
}

}  // namespace vt::tlog
