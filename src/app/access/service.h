// The vtrust application service: the one place where authorization is decided
// and where reads and writes reach the store. The HTTP API and the CLI (local
// mode) are thin adapters over it.
//
// Thread-safe: reads use a pool of connections; writes go through the Committer
// (group commit, one writer thread).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/core/committer.h"
#include "app/core/config.h"
#include "app/core/domain_names.h"
#include "app/core/org_cache.h"
#include "app/core/token_cache.h"
#include "app/log/transparency_log.h"
#include "app/log/witnessing.h"
#include "base/clock.h"
#include "base/rng.h"
#include "store/sql.h"

namespace vt::app {

struct InitResult {
  Org org;                   // the operator organization
  Member admin;              // its first admin
  TokenInfo token;           // the admin's token
  std::string token_secret;  // shown once, never stored
};

struct NewToken {
  TokenInfo info;
  std::string secret;  // the bearer token; shown once
};

class Service;

// Starts witnessing `svc`'s log with the witnesses of its configuration; null when
// none are configured. InvalidArgument for a bad witness specification.
StatusOr<std::unique_ptr<Witnessing>> NewWitnessing(Service& svc);

template <typename T>
struct Written {
  T value;
  std::vector<Json> receipts;  // transparency-log receipts of the write
};

class Service {
 public:
  // Opens a service over an already-open database (migrating it). `config.data_dir`
  // must exist: it holds the secrets (key-encryption key, log key). `clock` and
  // `rng` must outlive the service. Opening a data directory by its config file,
  // and creating one, is the composition root's (server/root.h).
  static StatusOr<std::unique_ptr<Service>> OpenWith(Config config,
                                                     std::unique_ptr<store::Database> db,
                                                     const Clock& clock, Rng& rng);
  // Creates the operator organization, its first admin and an admin token.
  // FailedPrecondition if an operator organization exists already.
  StatusOr<InitResult> Bootstrap();
  ~Service();

  const Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  // The randomness the service was opened with (ids, keys); outlives the service.
  Rng& rng() const { return rng_; }
  // The transparency log (sequencer and read side).
  TransparencyLog& log() { return *log_; }
  // Starts witnessing the log's checkpoints if config.witnesses is set (`vtrust
  // serve` does; short-lived CLI processes do not). Call at most once, before
  // serving. InvalidArgument for a bad witness configuration.
  Status StartWitnessing();
  // The witnessing component; null unless started with witnesses configured.
  const Witnessing* witnessing() const { return witnessing_.get(); }

  // The principal of a process that holds the data directory itself (CLI local
  // mode): an admin of the operator organization.
  StatusOr<Principal> LocalPrincipal();

  // Bearer-token authentication. Unauthenticated (one message for every failure:
  // malformed, unknown, wrong secret, expired, revoked, member removed) so that
  // callers learn nothing about which part was wrong.
  StatusOr<Principal> Authenticate(std::string_view bearer_token);

  // Organizations. Creating one requires an operator admin.
  StatusOr<Written<Org>> CreateOrg(const Principal& p, const std::string& name, OrgKind kind);
  StatusOr<std::vector<Org>> ListOrgs(const Principal& p);
  StatusOr<Org> GetOrg(const Principal& p, const std::string& org_id);

  // Members. Writes require an admin of the organization (or an operator admin).
  StatusOr<Written<Member>> AddMember(const Principal& p, const std::string& org_id,
                                      const std::string& name, const std::string& email, Role role);
  StatusOr<std::vector<Member>> ListMembers(const Principal& p, const std::string& org_id);
  StatusOr<Member> GetMember(const Principal& p, const std::string& org_id,
                             const std::string& member_id);
  // Marks the member removed and revokes its tokens.
  StatusOr<Written<Member>> RemoveMember(const Principal& p, const std::string& org_id,
                                         const std::string& member_id);

  // API tokens. An admin may create tokens for any member of the organization; a
  // member may create tokens for itself. ttl_seconds 0 = no expiry.
  StatusOr<Written<NewToken>> CreateToken(const Principal& p, const std::string& org_id,
                                          const std::string& member_id, const std::string& name,
                                          int64_t ttl_seconds);
  StatusOr<std::vector<TokenInfo>> ListTokens(const Principal& p, const std::string& org_id);
  StatusOr<Written<TokenInfo>> RevokeToken(const Principal& p, const std::string& org_id,
                                           const std::string& token_id);

  // Health: a trivial query on a pooled connection.
  Status Ping();
  // Counts storage errors seen by reads and writes (for /metrics).
  uint64_t storage_errors() const { return storage_errors_.load(); }

  // Runs `fn` with a pooled read connection.
  template <typename T>
  StatusOr<T> Read(const std::function<StatusOr<T>(store::Conn&)>& fn);
  // Submits a write to the committer.
  StatusOr<WriteResult> Write(std::function<Status(WriteContext&)> fn);

 private:
  Service(Config config, std::unique_ptr<store::Database> db, const Clock& clock, Rng& rng);
  StatusOr<std::unique_ptr<store::Conn>> Acquire();
  void Release(std::unique_ptr<store::Conn> conn);
  Status CheckStorage(const Status& s);

  Config config_;
  std::unique_ptr<store::Database> db_;
  const Clock& clock_;
  Rng& rng_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<store::Conn>> pool_;  // guarded by pool_mu_
  std::unique_ptr<TransparencyLog> log_;            // outlives committer_ (declared first)
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<Witnessing> witnessing_;  // stopped first (reads log_ and the pool)
  std::atomic<uint64_t> storage_errors_{0};
  TokenCache token_cache_;  // verified bearer tokens (Authenticate)
  OrgCache org_cache_;      // committed organizations (GetOrg; rows are immutable)
};

template <typename T>
StatusOr<T> Service::Read(const std::function<StatusOr<T>(store::Conn&)>& fn) {
  auto conn = Acquire();
  if (!conn.ok()) return std::move(conn).status();
  StatusOr<T> r = fn(**conn);
  if (!r.ok()) {
    CheckStorage(r.status()).IgnoreError();
    auto code = r.status().code();
    if (code == StatusCode::kUnavailable || code == StatusCode::kInternal) return r;  // drop conn
  }
  Release(std::move(*conn));
  return r;
}

}  // namespace vt::app
