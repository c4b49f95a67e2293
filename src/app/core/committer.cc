#include "app/core/committer.h"

#include <spdlog/spdlog.h>

#include "app/core/commitments.h"
#include "store/log/opening_repo.h"

namespace vt::app {

std::unique_ptr<Committer> Committer::Start(std::unique_ptr<store::Conn> conn, const Clock& clock,
                                            Rng& rng, BatchHook* hook, Options options) {
  auto c = std::unique_ptr<Committer>(new Committer(std::move(conn), clock, rng, hook, options));
  c->thread_ = std::thread([p = c.get()] { p->Run(); });
  return c;
}

Committer::Committer(std::unique_ptr<store::Conn> conn, const Clock& clock, Rng& rng,
                     BatchHook* hook, Options o)
    : conn_(std::move(conn)), clock_(clock), rng_(rng), hook_(hook), options_(o) {}

Status Committer::SealEntries(WriteContext& ctx) {
  std::vector<Opening> openings;
  std::vector<std::string> sealed;
  sealed.reserve(ctx.entries().size());
  for (const std::string& e : ctx.entries()) {
    VT_ASSIGN_OR_RETURN(std::string s, SealEntry(e, rng_, &openings));
    sealed.push_back(std::move(s));
  }
  if (!openings.empty()) {
    auto repo = store::NewSqlOpeningRepo(*conn_);
    const std::string now = FormatRfc3339(clock_.Now());
    for (const Opening& o : openings) {
      VT_ASSIGN_OR_RETURN(std::string value, Canonicalize(o.value));
      VT_RETURN_IF_ERROR(repo->InsertOpening(
          {o.commitment, o.org_id, o.party, o.entry_type, o.field, o.salt_hex, value, now}));
    }
  }
  ctx.ReplaceEntries(std::move(sealed));
  return OkStatus();
}

Committer::~Committer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

StatusOr<WriteResult> Committer::Write(std::function<Status(WriteContext&)> fn) {
  Op op{std::move(fn), {}};
  auto fut = op.done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return UnavailableError("the server is shutting down");
    queue_.push_back(std::move(op));
  }
  cv_.notify_one();
  return fut.get();
}

void Committer::Run() {
  for (;;) {
    std::vector<Op> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
  }
}

void Committer::RunBatch(std::vector<Op>& batch) {
  auto fail_all = [&](const Status& s) {
    for (auto& op : batch) op.done.set_value(s);
  };
  if (Status s = conn_->Begin(); !s.ok()) return fail_all(std::move(s).Annotate("begin"));
  std::vector<Status> results(batch.size());
  std::vector<std::string> entries;
  std::vector<std::pair<size_t, size_t>> ranges(batch.size());  // [first, count) per op
  for (size_t i = 0; i < batch.size(); ++i) {
    WriteContext ctx(*conn_, clock_);
    Status s = conn_->Savepoint("op");
    if (s.ok()) s = batch[i].fn(ctx);
    if (s.ok()) s = SealEntries(ctx);  // confidential values become commitments
    if (s.ok()) {
      s = conn_->ReleaseSavepoint("op");
    } else {
      Status r = conn_->RollbackToSavepoint("op");
      if (r.ok()) r = conn_->ReleaseSavepoint("op");
      if (!r.ok()) {  // the transaction is unusable: give up on the whole batch
        conn_->Rollback().IgnoreError();
        return fail_all(std::move(r).Annotate("rollback to savepoint"));
      }
      ctx.ClearEntries();
    }
    results[i] = s;
    ranges[i] = {entries.size(), ctx.entries().size()};
    for (const auto& e : ctx.entries()) entries.push_back(e);
  }
  std::vector<Json> receipts;
  if (hook_ != nullptr && !entries.empty()) {
    auto staged = hook_->Stage(*conn_, entries);
    if (!staged.ok()) {
      conn_->Rollback().IgnoreError();
      hook_->RolledBack();
      spdlog::error("log sequencing failed: {}", staged.status().ToString());
      return fail_all(std::move(staged).status());
    }
    receipts = std::move(*staged);
  }
  if (Status s = conn_->Commit(); !s.ok()) {
    conn_->Rollback().IgnoreError();
    if (hook_ != nullptr) hook_->RolledBack();
    spdlog::error("batch commit failed: {}", s.ToString());
    return fail_all(std::move(s).Annotate("commit"));
  }
  if (hook_ != nullptr && !entries.empty()) hook_->Committed();
  batches_.fetch_add(1);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!results[i].ok()) {
      batch[i].done.set_value(results[i]);
      continue;
    }
    WriteResult r;
    for (size_t k = 0; k < ranges[i].second && ranges[i].first + k < receipts.size(); ++k)
      r.receipts.push_back(std::move(receipts[ranges[i].first + k]));  // each used once
    batch[i].done.set_value(std::move(r));
  }
}

}  // namespace vt::app
