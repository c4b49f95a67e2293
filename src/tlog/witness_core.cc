#include "tlog/witness_core.h"

#include <utility>

#include "tlog/proof.h"

namespace vt::tlog {
namespace {

WitnessDecision Reject(int http, Status status) {
  WitnessDecision d;
  d.http_status = http;
  d.status = std::move(status);
  return d;
}

}  // namespace

StatusOr<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body) {
  AddCheckpointRequest req;
  size_t pos = 0;
  auto next_line = [&](std::string_view* line) {
    const size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) return false;
    *line = body.substr(pos, end - pos);
    pos = end + 1;
    return true;
  };
  std::string_view line;
  if (!next_line(&line) || !line.starts_with("old ")) {
    return InvalidArgumentError("add-checkpoint: missing \"old <size>\" line");
  }
  StatusOr<int64_t> old = ParseDecimal(line.substr(4));
  if (!old.ok()) return InvalidArgumentError("add-checkpoint: bad old size");
  req.old_size = *old;
  while (true) {
    if (!next_line(&line)) return InvalidArgumentError("add-checkpoint: missing empty line");
    if (line.empty()) break;
    if (req.proof.size() == kMaxWitnessProofLines) {
      return InvalidArgumentError("add-checkpoint: more than 63 proof lines");
    }
    StatusOr<Hash> h = HashFromBase64(line);
    if (!h.ok()) return InvalidArgumentError("add-checkpoint: bad proof line");
    req.proof.push_back(*h);
  }
  req.signed_checkpoint = std::string(body.substr(pos));
  if (req.signed_checkpoint.empty()) return InvalidArgumentError("add-checkpoint: no checkpoint");
  return req;
}

StatusOr<std::string> FormatAddCheckpointRequest(const AddCheckpointRequest& req) {
  if (req.old_size < 0) return InvalidArgumentError("add-checkpoint: negative old size");
  if (req.proof.size() > kMaxWitnessProofLines) {
    return InvalidArgumentError("add-checkpoint: more than 63 proof hashes");
  }
  std::string out = "old " + std::to_string(req.old_size) + "\n";
  for (const Hash& h : req.proof) out += HashToBase64(h) + "\n";
  return out + "\n" + req.signed_checkpoint;
}

StatusOr<std::string> RequestOrigin(const AddCheckpointRequest& req) {
  VT_ASSIGN_OR_RETURN(Note note, ParseNote(req.signed_checkpoint));
  VT_ASSIGN_OR_RETURN(Checkpoint c, ParseCheckpoint(note.text));
  return c.origin;
}

WitnessDecision DecideAddCheckpoint(const AddCheckpointRequest& req, const WitnessLogConfig* log,
                                    const std::optional<WitnessLogState>& state) {
  StatusOr<Note> note = ParseNote(req.signed_checkpoint);
  if (!note.ok()) return Reject(400, note.status());
  StatusOr<Checkpoint> c = ParseCheckpoint(note->text);
  if (!c.ok()) return Reject(400, c.status());
  if (log == nullptr || log->origin != c->origin) {
    return Reject(404, NotFoundError("unknown log origin \"" + c->origin + "\""));
  }
  StatusOr<VerifiedNote> verified = OpenNote(req.signed_checkpoint, log->log_keys);
  if (!verified.ok()) {
    return Reject(403, PermissionDeniedError(verified.status().message()));
  }
  if (req.old_size > c->size) {
    return Reject(400, InvalidArgumentError("old size " + std::to_string(req.old_size) +
                                            " is larger than the checkpoint size " +
                                            std::to_string(c->size)));
  }
  const WitnessLogState cur = state.value_or(WitnessLogState{0, EmptyRoot()});
  if (req.old_size != cur.size) {
    WitnessDecision d =
        Reject(409, FailedPreconditionError("old size " + std::to_string(req.old_size) +
                                            " is not the latest cosigned size " +
                                            std::to_string(cur.size)));
    d.conflict_size = cur.size;
    return d;
  }
  if (req.old_size == 0 && !req.proof.empty()) {
    return Reject(400, InvalidArgumentError("the proof must be empty for old size 0"));
  }
  if (req.old_size == c->size && c->root != cur.root) {
    WitnessDecision d =
        Reject(409, FailedPreconditionError("checkpoint has the latest cosigned size but a "
                                            "different root"));
    d.conflict_size = cur.size;
    return d;
  }
  if (req.old_size > 0) {
    Status s = VerifyConsistency(req.old_size, c->size, req.proof, cur.root, c->root);
    if (!s.ok()) return Reject(422, std::move(s));
  }
  WitnessDecision d;
  d.http_status = 200;
  d.checkpoint_text = note->text;
  d.next = WitnessLogState{c->size, c->root};
  return d;
}

StatusOr<int64_t> ParseConflictBody(std::string_view body) {
  if (body.empty() || body.back() != '\n') return InvalidArgumentError("409 body: no newline");
  return ParseDecimal(body.substr(0, body.size() - 1));
}

StatusOr<std::string> AppendCosignatures(std::string_view signed_checkpoint,
                                         std::string_view response_body,
                                         const NoteVerifiers& witness_keys) {
  VT_ASSIGN_OR_RETURN(Note note, ParseNote(signed_checkpoint));
  VT_ASSIGN_OR_RETURN(std::vector<NoteSignature> lines, ParseSignatureLines(response_body));
  std::string cosigned_only = note.text + "\n";
  for (const NoteSignature& s : lines) cosigned_only += FormatSignatureLine(s);
  VT_ASSIGN_OR_RETURN(VerifiedNote v, OpenNote(cosigned_only, witness_keys));
  std::string out(signed_checkpoint);
  for (const NoteSignature& s : v.verified) {
    bool present = false;
    for (const NoteSignature& old : note.signatures) present = present || old == s;
    if (!present) out += FormatSignatureLine(s);
  }
  return out;
}

}  // namespace vt::tlog
