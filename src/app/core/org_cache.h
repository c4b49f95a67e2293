// A read-through cache of organizations for GET /v1/orgs/{id} (the authenticated
// read of bench/http_bench.sh), so that the common read needs no database read
// transaction.
//
// Correctness rests on one schema fact: an organization row is immutable once
// committed (vtrust never UPDATEs or DELETEs rows of `orgs`; see access.cc). A
// cached Org therefore stays true forever, on this server and on every other
// server sharing a PostgreSQL database. Only committed rows are cached (entries
// come from read transactions, never from a write in progress); an absent
// organization is never cached, because it may be created at any moment. If
// organizations ever become mutable, every write that changes one must call
// Erase() after its commit (and multi-server deployments need a TTL).
//
// Bounded: at most kMaxEntries organizations; when full, the cache is cleared.
// Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "app/core/domain_names.h"

namespace vt::app {

class OrgCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  std::optional<Org> Get(const std::string& id) const {
    std::shared_lock lock(mu_);
    auto it = orgs_.find(id);
    if (it == orgs_.end()) return std::nullopt;
    return it->second;
  }
  void Put(const Org& org) {
    std::unique_lock lock(mu_);
    if (orgs_.size() >= kMaxEntries) orgs_.clear();
    orgs_.insert_or_assign(org.id, org);
  }
  void Erase(const std::string& id) {
    std::unique_lock lock(mu_);
    orgs_.erase(id);
  }

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Org> orgs_;  // guarded by mu_
};

}  // namespace vt::app
