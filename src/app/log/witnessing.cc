#include "app/log/witnessing.h"

#include <spdlog/spdlog.h>

#include <future>

#include "app/core/config.h"
#include "tlog/checkpoint.h"
#include "tlog/witness_core.h"

namespace vt::app {
namespace {

using Steady = std::chrono::steady_clock;

struct SplitUrl {
  std::string base;    // scheme://host[:port]
  std::string prefix;  // "" or "/path" without a trailing slash
};

StatusOr<SplitUrl> Split(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos ||
      (url.substr(0, scheme) != "http" && url.substr(0, scheme) != "https"))
    return InvalidArgumentError("witness URL must start with http:// or https://");
  size_t slash = url.find('/', scheme + 3);
  SplitUrl out{std::string(url.substr(0, slash)),
               slash == std::string_view::npos ? "" : std::string(url.substr(slash))};
  if (out.base.size() == scheme + 3) return InvalidArgumentError("witness URL has no host");
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  return out;
}

int64_t ElapsedMs(Steady::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - since).count();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.size() > 200 ? s.substr(0, 200) + "..." : s;
}

}  // namespace

StatusOr<WitnessEndpoint> ParseWitnessSpec(std::string_view spec) {
  // The vkey is name+hex8+base64; base64 has no '@', so the URL starts at the
  // first '@' after the second '+'.
  size_t p1 = spec.find('+');
  size_t p2 = p1 == std::string_view::npos ? p1 : spec.find('+', p1 + 1);
  size_t at = p2 == std::string_view::npos ? p2 : spec.find('@', p2 + 1);
  if (at == std::string_view::npos)
    return InvalidArgumentError("witness \"" + std::string(spec) +
                                "\" must be \"<cosignature vkey>@<URL>\"")
        .WithField("witnesses");
  WitnessEndpoint ep{std::string(spec.substr(0, at)), std::string(spec.substr(at + 1)), nullptr};
  auto v = tlog::ParseVerifierKey(ep.vkey);
  if (!v.ok()) return std::move(v).status().Annotate("witness vkey").WithField("witnesses");
  if ((*v)->sig_type() != tlog::kSigTypeCosignature)
    return InvalidArgumentError("witness vkey " + ep.vkey + " is not a cosignature (type 0x04) key")
        .WithField("witnesses");
  VT_RETURN_IF_ERROR(Split(ep.url).status());
  ep.verifier = std::move(*v);
  return ep;
}

Witnessing::Witnessing(WitnessingOptions options, WitnessingSource source)
    : options_(std::move(options)), source_(std::move(source)) {
  known_size_.assign(options_.witnesses.size(), -1);
  for (const auto& w : options_.witnesses)
    status_.push_back(WitnessStatus{w.verifier->name(), w.url, -1, ""});
}

StatusOr<std::unique_ptr<Witnessing>> Witnessing::Start(WitnessingOptions options,
                                                        WitnessingSource source) {
  const size_t n = options.witnesses.size();
  if (n == 0) return InvalidArgumentError("witnessing needs at least one witness");
  if (options.quorum == 0) options.quorum = n;
  if (options.quorum > n)
    return InvalidArgumentError("witness_policy " + std::to_string(options.quorum) +
                                " exceeds the " + std::to_string(n) + " configured witnesses")
        .WithField("witness_policy");
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < i; ++j)
      if (options.witnesses[i].vkey == options.witnesses[j].vkey)
        return InvalidArgumentError("witness " + options.witnesses[i].vkey + " is listed twice")
            .WithField("witnesses");
  if (!options.log_verifier || !source.published || !source.consistency)
    return InvalidArgumentError("witnessing needs the log's key and source");
  if (!options.transport) return InvalidArgumentError("witnessing needs an HTTP transport");
  auto w = std::unique_ptr<Witnessing>(new Witnessing(std::move(options), std::move(source)));
  w->LoadPersisted();
  w->thread_ = std::thread([p = w.get()] { p->Run(); });
  return w;
}

Witnessing::~Witnessing() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<LogCheckpoint> Witnessing::Cosigned() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cosigned_;
}

std::vector<WitnessStatus> Witnessing::Witnesses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void Witnessing::Run() {
  int64_t done_size = -1;
  tlog::Hash done_root{};
  bool done_ok = false;
  Steady::time_point last = Steady::now();
  if (auto c = Cosigned())
    std::tie(done_size, done_root, done_ok) = std::tuple(c->size, c->root, true);
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, options_.poll, [&] { return stopping_; })) return;
    }
    LogCheckpoint cp = source_.published();
    if (cp.size == 0) continue;  // nothing worth witnessing yet
    bool same = cp.size == done_size && cp.root == done_root;
    if (same && (done_ok || ElapsedMs(last) < options_.retry.count())) continue;
    last = Steady::now();
    done_ok = Round(cp);
    done_size = cp.size;
    done_root = cp.root;
  }
}

bool Witnessing::Round(const LogCheckpoint& cp) {
  const size_t n = options_.witnesses.size();
  std::vector<std::future<StatusOr<std::string>>> pending;
  pending.reserve(n);
  for (size_t i = 0; i < n; ++i)
    pending.push_back(std::async(std::launch::async, [this, i, &cp] { return Submit(i, cp); }));
  std::string lines;
  size_t cosigned = 0;
  for (size_t i = 0; i < n; ++i) {
    StatusOr<std::string> r = pending[i].get();
    std::lock_guard<std::mutex> lock(mu_);
    WitnessStatus& st = status_[i];
    st.size = known_size_[i];
    if (r.ok()) {
      lines += *r;
      ++cosigned;
      st.last_error.clear();
      continue;
    }
    std::string err = r.status().ToString();
    if (err != st.last_error)
      spdlog::warn("witness {} ({}) did not cosign size {}: {}", st.name, st.url, cp.size, err);
    st.last_error = std::move(err);
  }
  if (cosigned < options_.quorum) return false;
  Status s = Publish(LogCheckpoint{cp.size, cp.root, cp.note + lines});
  if (!s.ok()) spdlog::error("witnessing: cannot keep the cosigned checkpoint: {}", s.ToString());
  return s.ok();
}

StatusOr<std::string> Witnessing::Submit(size_t i, const LogCheckpoint& cp) {
  const WitnessEndpoint& w = options_.witnesses[i];
  VT_ASSIGN_OR_RETURN(SplitUrl url, Split(w.url));
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int64_t old = std::max<int64_t>(known_size_[i], 0);
    if (old > cp.size)
      return FailedPreconditionError("the witness already cosigned size " + std::to_string(old));
    tlog::AddCheckpointRequest req{old, {}, cp.note};
    if (old > 0 && old < cp.size) {
      VT_ASSIGN_OR_RETURN(ConsistencyResult proof, source_.consistency(old, cp.size));
      req.proof = std::move(proof.hashes);
    }
    VT_ASSIGN_OR_RETURN(std::string body, tlog::FormatAddCheckpointRequest(req));
    VT_ASSIGN_OR_RETURN(
        WitnessReply res,
        options_.transport(url.base + url.prefix + "/add-checkpoint", body, options_.timeout));
    if (res.status == 409) {
      VT_ASSIGN_OR_RETURN(int64_t size, tlog::ParseConflictBody(res.body));
      if (size == old)  // same size, different root: the witness saw another tree
        return DataLossError("the witness holds a different checkpoint at size " +
                             std::to_string(size) + " (a fork?)");
      known_size_[i] = size;
      continue;
    }
    if (res.status != 200)
      return FailedPreconditionError("witness answered " + std::to_string(res.status) + ": " +
                                     Trim(res.body));
    VT_ASSIGN_OR_RETURN(std::string full,
                        tlog::AppendCosignatures(cp.note, res.body, {w.verifier}));
    known_size_[i] = cp.size;
    return full.substr(cp.note.size());
  }
  return AbortedError("the witness's size kept changing");
}

StatusOr<tlog::Checkpoint> Witnessing::Verify(std::string_view note) const {
  tlog::NoteVerifiers keys{options_.log_verifier};
  for (const auto& w : options_.witnesses) keys.push_back(w.verifier);
  VT_ASSIGN_OR_RETURN(tlog::VerifiedCheckpoint v,
                      tlog::OpenCheckpoint(note, options_.origin, keys));
  bool log_signed = false;
  size_t witnesses = 0;
  for (const auto& s : v.note.verified) {
    if (s.name == options_.log_verifier->name() && s.key_id == options_.log_verifier->key_id())
      log_signed = true;
    else
      ++witnesses;
  }
  if (!log_signed) return PermissionDeniedError("the log's signature is missing");
  if (witnesses < options_.quorum)
    return FailedPreconditionError(std::to_string(witnesses) +
                                   " cosignatures verify; the policy "
                                   "needs " +
                                   std::to_string(options_.quorum));
  return v.checkpoint;
}

Status Witnessing::Publish(LogCheckpoint cosigned) {
  VT_ASSIGN_OR_RETURN(tlog::Checkpoint c, Verify(cosigned.note));
  if (c.size != cosigned.size || c.root != cosigned.root)
    return InternalError("cosigned note does not match its checkpoint");
  if (!options_.state_path.empty())
    VT_RETURN_IF_ERROR(WriteFileAtomic(options_.state_path, cosigned.note, 0644));
  std::lock_guard<std::mutex> lock(mu_);
  if (!cosigned_ || cosigned_->size <= cosigned.size) cosigned_ = std::move(cosigned);
  return OkStatus();
}

void Witnessing::LoadPersisted() {
  if (options_.state_path.empty()) return;
  auto note = ReadFile(options_.state_path);
  if (!note.ok()) return;  // none yet
  auto check = [&]() -> Status {
    VT_ASSIGN_OR_RETURN(tlog::Checkpoint c, Verify(*note));
    LogCheckpoint pub = source_.published();
    if (c.size > pub.size) return FailedPreconditionError("newer than the log");
    VT_ASSIGN_OR_RETURN(ConsistencyResult proof, source_.consistency(c.size, pub.size));
    if (proof.old_root != c.root) return DataLossError("not a prefix of the log");
    std::lock_guard<std::mutex> lock(mu_);
    cosigned_ = LogCheckpoint{c.size, c.root, *note};
    return OkStatus();
  };
  if (Status s = check(); !s.ok())
    spdlog::warn("witnessing: ignoring {}: {}", options_.state_path, s.ToString());
}

}  // namespace vt::app
