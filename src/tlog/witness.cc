#include "tlog/witness.h"

#include <utility>

namespace vt::tlog {
namespace {

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
constexpr int kMaxCasAttempts = 5;

WitnessResponse Text(int http, std::string body) {
  return {http, std::string(kTextPlain), std::move(body)};
}

WitnessResponse FromStatus(const Status& s) {
  const int http = s.code() == StatusCode::kUnavailable ? 503 : 500;
  return Text(http, s.ToString() + "\n");
}

}  // namespace

StatusOr<std::optional<WitnessLogState>> MemoryWitnessStateStore::Load(std::string_view origin) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(origin);
  if (it == states_.end()) return std::optional<WitnessLogState>();
  return std::optional<WitnessLogState>(it->second);
}

Status MemoryWitnessStateStore::CompareAndSwap(std::string_view origin,
                                               const std::optional<WitnessLogState>& expected,
                                               const WitnessLogState& next) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(origin);
  std::optional<WitnessLogState> cur;
  if (it != states_.end()) cur = it->second;
  if (cur != expected) return AbortedError("witness state of " + std::string(origin) + " changed");
  states_[std::string(origin)] = next;
  return OkStatus();
}

Witness::Witness(std::vector<WitnessLogConfig> logs,
                 std::vector<std::shared_ptr<Cosigner>> cosigners, WitnessStateStore& store,
                 const Clock& clock)
    : cosigners_(std::move(cosigners)), store_(store), clock_(clock) {
  for (WitnessLogConfig& l : logs) {
    std::string origin = l.origin;
    logs_.emplace(std::move(origin), std::move(l));
  }
}

StatusOr<std::unique_ptr<Witness>> Witness::Create(std::vector<WitnessLogConfig> logs,
                                                   std::vector<std::shared_ptr<Cosigner>> cosigners,
                                                   WitnessStateStore& store, const Clock& clock) {
  if (cosigners.empty()) return InvalidArgumentError("witness: no cosigning key");
  std::map<std::string, int> seen;
  for (const WitnessLogConfig& l : logs) {
    if (l.origin.empty() || l.log_keys.empty()) {
      return InvalidArgumentError("witness: log \"" + l.origin + "\" needs an origin and keys");
    }
    if (++seen[l.origin] > 1) return InvalidArgumentError("witness: duplicate origin " + l.origin);
  }
  return std::unique_ptr<Witness>(new Witness(std::move(logs), std::move(cosigners), store, clock));
}

WitnessResponse Witness::AddCheckpoint(std::string_view body) {
  StatusOr<AddCheckpointRequest> req = ParseAddCheckpointRequest(body);
  if (!req.ok()) return Text(400, req.status().message() + "\n");
  StatusOr<std::string> origin = RequestOrigin(*req);
  if (!origin.ok()) return Text(400, origin.status().message() + "\n");
  auto log = logs_.find(*origin);
  const WitnessLogConfig* config = log == logs_.end() ? nullptr : &log->second;
  for (int attempt = 0; attempt < kMaxCasAttempts; ++attempt) {
    StatusOr<std::optional<WitnessLogState>> state = store_.Load(*origin);
    if (!state.ok()) return FromStatus(state.status());
    WitnessDecision d = DecideAddCheckpoint(*req, config, *state);
    if (d.http_status == 409) {
      return {409, std::string(kTlogSizeContentType), std::to_string(d.conflict_size) + "\n"};
    }
    if (d.http_status != 200) return Text(d.http_status, d.status.message() + "\n");
    Status cas = store_.CompareAndSwap(*origin, *state, *d.next);
    if (cas.code() == StatusCode::kAborted) continue;  // raced with another request
    if (!cas.ok()) return FromStatus(cas);
    return Cosign(d.checkpoint_text);
  }
  return Text(503, "witness state contended; retry\n");
}

WitnessResponse Witness::Cosign(const std::string& text) {
  const int64_t now = clock_.NowUnixSeconds();
  std::string body;
  for (const auto& c : cosigners_) {
    StatusOr<NoteSignature> sig = c->Cosign(text, static_cast<uint64_t>(now));
    if (!sig.ok()) return FromStatus(sig.status());
    body += FormatSignatureLine(*sig);
  }
  return Text(200, std::move(body));
}

}  // namespace vt::tlog
