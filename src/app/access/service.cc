#include "app/access/service.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "app/access/access_ops.h"
#include "app/core/domain_names.h"
#include "app/core/secrets.h"
#include "crypto/signer.h"
#include "store/access/access_repo.h"
#include "store/migrations/migrations.h"

namespace vt::app {
Service::Service(Config config, std::unique_ptr<store::Database> db, const Clock& clock, Rng& rng)
    : config_(std::move(config)), db_(std::move(db)), clock_(clock), rng_(rng) {}

Service::~Service() {
  witnessing_.reset();
  committer_.reset();  // drains queued writes first
}

StatusOr<std::unique_ptr<Service>> Service::OpenWith(Config config,
                                                     std::unique_ptr<store::Database> db,
                                                     const Clock& clock, Rng& rng) {
  if (config.log_origin.empty()) {
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    config.log_origin = std::string(host) + "/log";
  }
  std::string data_dir = config.data_dir;
  VT_ASSIGN_OR_RETURN(auto conn, db->Connect());
  VT_RETURN_IF_ERROR(store::Migrate(*conn, Migrations(), clock));
  auto svc = std::unique_ptr<Service>(new Service(std::move(config), std::move(db), clock, rng));
  // The log key: Ed25519, sealed under the data directory's key-encryption key.
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::OpenOrCreate(svc->config_, rng));
  VT_ASSIGN_OR_RETURN(auto log_key, secrets.LoadOrCreate("log", crypto::KeyAlg::kEd25519));
  const std::string& origin = svc->config_.log_origin;
  VT_ASSIGN_OR_RETURN(auto verifier, tlog::NewEd25519NoteVerifier(origin, log_key.Public()));
  VT_ASSIGN_OR_RETURN(
      auto signer,
      tlog::NewEd25519NoteSigner(origin, std::shared_ptr<crypto::Signer>(crypto::MakeSoftwareSigner(
                                             log_key, "file:" + data_dir + "/secrets/log.key"))));
  VT_ASSIGN_OR_RETURN(svc->log_,
                      TransparencyLog::Open(*conn, origin, std::move(signer), std::move(verifier)));
  svc->committer_ = Committer::Start(std::move(conn), clock, rng, svc->log_.get(), {});
  return svc;
}

StatusOr<InitResult> Service::Bootstrap() {
  InitResult out;
  auto written = Write([&](WriteContext& ctx) -> Status {
    LogEntries log;
    VT_ASSIGN_OR_RETURN(OperatorRows rows, BootstrapOperator(*store::NewSqlAccessRepo(ctx.conn()),
                                                             ctx.clock(), rng_, log));
    out.org = std::move(rows.org);
    out.admin = std::move(rows.admin);
    for (auto& e : log) ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(written.status());
  Principal p{out.org.id, out.admin.id, "", Role::kAdmin, true};
  VT_ASSIGN_OR_RETURN(auto tok, CreateToken(p, out.org.id, out.admin.id, "bootstrap", 0));
  out.token = tok.value.info;
  out.token_secret = tok.value.secret;
  return out;
}

StatusOr<std::unique_ptr<store::Conn>> Service::Acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      auto c = std::move(pool_.back());
      pool_.pop_back();
      return c;
    }
  }
  auto c = db_->Connect();
  if (!c.ok()) storage_errors_.fetch_add(1);
  return c;
}

void Service::Release(std::unique_ptr<store::Conn> conn) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (pool_.size() < 64) pool_.push_back(std::move(conn));
}

Status Service::CheckStorage(const Status& s) {
  auto code = s.code();
  if (code == StatusCode::kInternal || code == StatusCode::kUnavailable ||
      code == StatusCode::kDataLoss)
    storage_errors_.fetch_add(1);
  return s;
}

StatusOr<WriteResult> Service::Write(std::function<Status(WriteContext&)> fn) {
  auto r = committer_->Write(std::move(fn));
  if (!r.ok()) CheckStorage(r.status()).IgnoreError();
  return r;
}

Status Service::StartWitnessing() {
  VT_ASSIGN_OR_RETURN(witnessing_, NewWitnessing(*this));
  return OkStatus();
}

Status Service::Ping() {
  return Read<int>([](store::Conn& c) -> StatusOr<int> {
           VT_RETURN_IF_ERROR(store::NewSqlAccessRepo(c)->Ping());
           return 1;
         })
      .status();
}

StatusOr<Principal> Service::LocalPrincipal() {
  return Read<Principal>([](store::Conn& c) -> StatusOr<Principal> {
    VT_ASSIGN_OR_RETURN(store::MemberRef admin,
                        store::NewSqlAccessRepo(c)->FindFirstOperatorAdmin());
    return Principal{admin.org_id, admin.member_id, "", Role::kAdmin, true};
  });
}

}  // namespace vt::app
