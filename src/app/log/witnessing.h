// Witnessing: the log side of c2sp.org/tlog-witness. A background thread takes
// every new published checkpoint, submits it to each configured witness
// (POST <url>/add-checkpoint with a consistency proof from the witness's
// latest cosigned size; a 409 reply tells that size and the request is
// retried with the right proof), verifies the returned cosignatures
// (c2sp.org/tlog-cosignature, type 0x04) and, once at least k of the n
// witnesses cosigned the same checkpoint, keeps (and persists) the cosigned
// note: the checkpoint text, the log's signature and the cosignature lines.
//
// The write path never waits for witnesses: receipts carry the log-signed
// checkpoint of their batch; /log/checkpoint serves the latest k-of-n
// cosigned checkpoint, which lags the latest signed one by about one
// witnessing round trip (and by the time a witness is down, when k = n).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/log/transparency_log.h"
#include "base/status.h"
#include "tlog/checkpoint.h"
#include "tlog/hash.h"
#include "tlog/note_keys.h"

namespace vt::app {

// One configured witness: "<cosignature vkey>@<base URL>" in config.toml.
struct WitnessEndpoint {
  std::string vkey;
  std::string url;  // http(s)://host[:port][/prefix], without the final "/add-checkpoint"
  std::shared_ptr<const tlog::NoteVerifier> verifier;  // type 0x04
};

// Parses "<vkey>@<url>". InvalidArgument unless the vkey is a type-0x04
// (cosignature) key and the URL is http:// or https:// with a host.
StatusOr<WitnessEndpoint> ParseWitnessSpec(std::string_view spec);

// A consistency proof with the roots it links (TransparencyLog::ConsistencyProof).
struct ConsistencyResult {
  std::vector<tlog::Hash> hashes;
  tlog::Hash old_root{};
  tlog::Hash new_root{};
};

// What witnessing needs from the log. Both functions are called from the
// witnessing thread only and must be thread-safe with respect to the server.
struct WitnessingSource {
  std::function<LogCheckpoint()> published;
  std::function<StatusOr<ConsistencyResult>(int64_t old_size, int64_t new_size)> consistency;
};

// A witness's reply to an add-checkpoint request (c2sp.org/tlog-witness).
struct WitnessReply {
  int status = 0;
  std::string body;
};

// The HTTP transport: POSTs `body` (text/plain; charset=utf-8) to the
// absolute `url`, allowing `timeout` for each of connect, read and write, and
// returns the reply whatever its status. Unavailable if no reply came (the
// message says what failed and where). Called from the witnessing thread, one
// call per witness in parallel, so it must be thread-safe.
using WitnessTransport = std::function<StatusOr<WitnessReply>(
    const std::string& url, const std::string& body, std::chrono::milliseconds timeout)>;

struct WitnessingOptions {
  std::string origin;                                      // the log's origin
  std::shared_ptr<const tlog::NoteVerifier> log_verifier;  // the log's Ed25519 key
  std::vector<WitnessEndpoint> witnesses;                  // n >= 1
  size_t quorum = 0;                                       // k in 1..n (0: all n)
  std::string state_path;              // file keeping the latest cosigned note ("" = memory only)
  std::chrono::milliseconds poll{20};  // how often to look for a new checkpoint
  std::chrono::milliseconds retry{1000};    // re-submit an unchanged checkpoint after a failure
  std::chrono::milliseconds timeout{5000};  // per HTTP request (connect, read, write)
  WitnessTransport transport;               // required
};

// The state of one witness as last seen (for logs, metrics and tests).
struct WitnessStatus {
  std::string name;
  std::string url;
  int64_t size = -1;       // the witness's latest cosigned size (-1: unknown)
  std::string last_error;  // empty after a success
};

class Witnessing {
 public:
  // Validates the options, loads the persisted cosigned note (ignored with a
  // warning unless it verifies with >= k configured witnesses and is a prefix
  // of the published tree), and starts the witnessing thread.
  // InvalidArgument on a bad configuration.
  static StatusOr<std::unique_ptr<Witnessing>> Start(WitnessingOptions options,
                                                     WitnessingSource source);
  // Stops the thread (waits for an in-flight round, bounded by the timeout).
  ~Witnessing();

  // The latest checkpoint cosigned by >= k witnesses, note with cosignature
  // lines; nullopt until the first one. Thread-safe.
  std::optional<LogCheckpoint> Cosigned() const;
  // Per-witness status, in configuration order. Thread-safe.
  std::vector<WitnessStatus> Witnesses() const;
  size_t quorum() const { return options_.quorum; }

 private:
  Witnessing(WitnessingOptions options, WitnessingSource source);
  void Run();
  // Submits `cp` to every witness in parallel; true iff >= k cosigned it.
  bool Round(const LogCheckpoint& cp);
  // One witness, with the 409 retry; returns its verified cosignature lines.
  StatusOr<std::string> Submit(size_t i, const LogCheckpoint& cp);
  // Verifies the log's signature and >= k configured cosignatures.
  StatusOr<tlog::Checkpoint> Verify(std::string_view note) const;
  Status Publish(LogCheckpoint cosigned);
  void LoadPersisted();

  WitnessingOptions options_;
  WitnessingSource source_;
  std::vector<int64_t> known_size_;  // per witness; touched only by its own submission

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                  // guarded by mu_
  std::optional<LogCheckpoint> cosigned_;  // guarded by mu_
  std::vector<WitnessStatus> status_;      // guarded by mu_
  std::thread thread_;
};

// Starts witnessing for `svc` if its config lists witnesses (nullptr if not):
// the source is the checkpoint stored in svc's database (so checkpoints of
// other processes sharing it are witnessed too) and its proofs; the state file is
// DIR/log-cosigned-checkpoint. InvalidArgument (field "witnesses") on a bad
// witness spec or policy.

}  // namespace vt::app
