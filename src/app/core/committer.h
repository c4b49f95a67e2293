// The single write path of vtrust: group commit.
//
// Every mutation is a closure submitted to Write(). One writer thread takes the
// queued closures in batches (whatever is queued, up to max_batch), runs them in
// ONE database transaction, each inside its own savepoint (a failing closure is
// rolled back alone and gets its error), hands the log entries they appended to the
// BatchHook (the transparency-log sequencer) inside the same transaction, and
// commits once (one fsync for the whole batch). Only then are the callers woken:
// an acknowledged write is durable, and a registry change and its log entry commit
// together or not at all.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"
#include "store/sql.h"

namespace vt::app {

// What a write closure sees. Valid only during the closure.
class WriteContext {
 public:
  WriteContext(store::Conn& conn, const Clock& clock) : conn_(conn), clock_(clock) {}
  store::Conn& conn() { return conn_; }
  const Clock& clock() const { return clock_; }
  // Queues a transparency-log entry (canonical bytes). It is sequenced in the same
  // transaction; its receipt is returned by Write() after commit.
  void AppendLog(std::string entry) { entries_.push_back(std::move(entry)); }
  const std::vector<std::string>& entries() const { return entries_; }
  void ClearEntries() { entries_.clear(); }
  // Used by the committer to swap in the sealed entries (commitments.h).
  void ReplaceEntries(std::vector<std::string> entries) { entries_ = std::move(entries); }

 private:
  store::Conn& conn_;
  const Clock& clock_;
  std::vector<std::string> entries_;
};

// Implemented by the log sequencer. Called only from the writer thread.
class BatchHook {
 public:
  virtual ~BatchHook() = default;
  // Inside the open batch transaction: persist `entries` (in order) and everything
  // the log needs (tiles, the new signed checkpoint). Returns one receipt per entry.
  // Must publish nothing until Committed(). An error fails the whole batch.
  virtual StatusOr<std::vector<Json>> Stage(store::Conn& conn,
                                            const std::vector<std::string>& entries) = 0;
  // The batch transaction committed: publish the staged state.
  virtual void Committed() = 0;
  // The batch transaction rolled back: forget the staged state.
  virtual void RolledBack() = 0;
};

struct WriteResult {
  std::vector<Json> receipts;  // one per AppendLog() call, in order
};

class Committer {
 public:
  struct Options {
    size_t max_batch = 2000;  // closures per transaction
  };
  // Takes ownership of `conn` (used only by the writer thread). `hook` may be null
  // (log entries are then dropped: only for tests of the store layer) and must
  // outlive the committer. `rng` draws the salts of the entries' commitments: after
  // a closure succeeds, every confidential marker of its entries is replaced by a
  // commitment and the opening stored in log_openings, inside its savepoint
  // (commitments.h).
  static std::unique_ptr<Committer> Start(std::unique_ptr<store::Conn> conn, const Clock& clock,
                                          Rng& rng, BatchHook* hook, Options options);
  // Finishes every queued write, then stops the writer thread.
  ~Committer();

  // Runs `fn` in the next batch and waits until its batch is durable. Returns fn's
  // error (nothing of fn is kept), or the batch's error (commit failed: nothing of
  // the batch is kept), or the receipts of the entries fn appended. Thread-safe.
  StatusOr<WriteResult> Write(std::function<Status(WriteContext&)> fn);

  // Number of batches committed so far (for metrics).
  uint64_t batches() const { return batches_.load(); }

 private:
  struct Op {
    std::function<Status(WriteContext&)> fn;
    std::promise<StatusOr<WriteResult>> done;
  };
  Committer(std::unique_ptr<store::Conn> conn, const Clock& clock, Rng& rng, BatchHook* hook,
            Options o);
  void Run();
  Status SealEntries(WriteContext& ctx);
  void RunBatch(std::vector<Op>& batch);

  std::unique_ptr<store::Conn> conn_;
  const Clock& clock_;
  Rng& rng_;
  BatchHook* hook_;
  Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Op> queue_;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::atomic<uint64_t> batches_{0};
  std::thread thread_;
};

}  // namespace vt::app
