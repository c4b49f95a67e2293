#include "tlog/tlog_proof.h"

#include <utility>

#include "base/encoding.h"
#include "tlog/merkle.h"
#include "tlog/note_keys.h"
#include "tlog/proof.h"

namespace vt::tlog {
namespace {

constexpr size_t kMaxProofHashes = 63;

bool Known(const NoteVerifiers& keys, const NoteSignature& sig) {
  for (const auto& k : keys) {
    if (k->name() == sig.name && k->key_id() == sig.key_id) return true;
  }
  return false;
}

}  // namespace

StatusOr<std::string> FormatTlogProof(const TlogProof& p) {
  if (p.index < 0) return InvalidArgumentError("tlog-proof: negative index");
  if (p.signed_checkpoint.empty()) return InvalidArgumentError("tlog-proof: no checkpoint");
  if (p.inclusion_proof.size() > kMaxProofHashes) {
    return InvalidArgumentError("tlog-proof: too many proof hashes");
  }
  std::string out = std::string(kTlogProofHeader) + "\n";
  if (p.extra.has_value()) out += "extra " + Base64Encode(*p.extra) + "\n";
  out += "index " + std::to_string(p.index) + "\n";
  for (const Hash& h : p.inclusion_proof) out += HashToBase64(h) + "\n";
  return out + "\n" + p.signed_checkpoint;
}

StatusOr<TlogProof> ParseTlogProof(std::string_view file) {
  size_t pos = 0;
  auto next_line = [&](std::string_view* line) {
    const size_t end = file.find('\n', pos);
    if (end == std::string_view::npos) return false;
    *line = file.substr(pos, end - pos);
    pos = end + 1;
    return true;
  };
  TlogProof p;
  std::string_view line;
  if (!next_line(&line) || line != kTlogProofHeader) {
    return InvalidArgumentError("tlog-proof: first line must be c2sp.org/tlog-proof@v1");
  }
  if (!next_line(&line)) return InvalidArgumentError("tlog-proof: truncated");
  if (line.starts_with("extra ")) {
    StatusOr<std::string> extra = Base64Decode(line.substr(6));
    if (!extra.ok()) return InvalidArgumentError("tlog-proof: bad extra data");
    p.extra = std::move(extra).value();
    if (!next_line(&line)) return InvalidArgumentError("tlog-proof: truncated");
  }
  if (!line.starts_with("index ")) return InvalidArgumentError("tlog-proof: missing index line");
  StatusOr<int64_t> index = ParseDecimal(line.substr(6));
  if (!index.ok()) return InvalidArgumentError("tlog-proof: bad index");
  p.index = *index;
  while (true) {
    if (!next_line(&line)) return InvalidArgumentError("tlog-proof: missing empty line");
    if (line.empty()) break;
    if (p.inclusion_proof.size() == kMaxProofHashes) {
      return InvalidArgumentError("tlog-proof: too many proof hashes");
    }
    StatusOr<Hash> h = HashFromBase64(line);
    if (!h.ok()) return InvalidArgumentError("tlog-proof: bad proof hash line");
    p.inclusion_proof.push_back(*h);
  }
  p.signed_checkpoint = std::string(file.substr(pos));
  if (p.signed_checkpoint.empty()) return InvalidArgumentError("tlog-proof: no checkpoint");
  return p;
}

StatusOr<std::string> MakeTlogProof(int64_t index, std::string_view signed_checkpoint,
                                    TileReader& tiles, std::optional<std::string> extra) {
  VT_ASSIGN_OR_RETURN(Note note, ParseNote(signed_checkpoint));
  VT_ASSIGN_OR_RETURN(Checkpoint c, ParseCheckpoint(note.text));
  TlogProof p;
  p.extra = std::move(extra);
  p.index = index;
  VT_ASSIGN_OR_RETURN(p.inclusion_proof, InclusionProof(index, c.size, tiles));
  p.signed_checkpoint = std::string(signed_checkpoint);
  return FormatTlogProof(p);
}

StatusOr<VerifiedTlogProof> VerifyTlogProof(std::string_view file, const Hash& leaf_hash,
                                            const TlogProofPolicy& policy) {
  VerifiedTlogProof out;
  VT_ASSIGN_OR_RETURN(out.proof, ParseTlogProof(file));
  NoteVerifiers all = policy.log_keys;
  all.insert(all.end(), policy.witness_keys.begin(), policy.witness_keys.end());
  VT_ASSIGN_OR_RETURN(VerifiedCheckpoint vc,
                      OpenCheckpoint(out.proof.signed_checkpoint, policy.origin, all));
  out.checkpoint = vc.checkpoint;
  bool log_signed = false;
  for (const NoteSignature& s : vc.note.verified) {
    if (Known(policy.log_keys, s)) log_signed = true;
    if (Known(policy.witness_keys, s) && !Known(policy.log_keys, s))
      out.witnesses.push_back(s.name);
  }
  if (!log_signed) return PermissionDeniedError("tlog-proof: checkpoint not signed by the log");
  if (out.witnesses.size() < policy.min_witnesses) {
    return PermissionDeniedError("tlog-proof: " + std::to_string(out.witnesses.size()) +
                                 " witness cosignatures, policy requires " +
                                 std::to_string(policy.min_witnesses));
  }
  VT_RETURN_IF_ERROR(VerifyInclusion(out.proof.index, out.checkpoint.size, leaf_hash,
                                     out.proof.inclusion_proof, out.checkpoint.root));
  return out;
}

StatusOr<VerifiedTlogProof> VerifyTlogProofForEntry(std::string_view file, std::string_view entry,
                                                    const TlogProofPolicy& policy) {
  return VerifyTlogProof(file, LeafHash(entry), policy);
}

}  // namespace vt::tlog
