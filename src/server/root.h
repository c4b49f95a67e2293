// The composition root: the one place that opens a data directory (its config
// file, its database, the Service) and builds every component once, for the
// HTTP routes and the CLI. Nothing else constructs the components; they receive
// what they need from here.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "api/router.h"
#include "app/access/log_reads.h"
#include "app/access/service.h"
#include "app/content/content_desk.h"
#include "app/identity/challenges.h"
#include "app/identity/characters.h"
#include "app/identity/pki.h"
#include "app/identity/revocation.h"
#include "app/money/revenue.h"
#include "app/money/settlements.h"
#include "app/rights/agreements.h"
#include "app/rights/rights_registry.h"
#include "app/rights/works.h"
#include "base/clock.h"
#include "base/rng.h"
#include "store/sql.h"

namespace vt::server {

// Every component of one open data directory. Built only by OpenComponents() /
// OpenWith(); the clock and the randomness it was opened with must outlive it.
// Destroying it drains the committer and closes the store (the components go
// first, the Service last). Thread-safe as its components are.
class Components {
 public:
  ~Components();
  Components(const Components&) = delete;
  Components& operator=(const Components&) = delete;

  const Clock& clock() const { return clock_; }
  Rng& rng() const { return rng_; }

  app::Service& service() { return *service_; }
  app::LogReads& log() { return *log_; }
  app::Pki& pki() { return *pki_; }
  app::RevocationService& revocation() { return *revocation_; }
  app::CharacterRegistry& characters() { return *characters_; }
  app::WorkRegistry& works() { return *works_; }
  app::AgreementRegistry& agreements() { return *agreements_; }
  app::RightsRegistry& rights() { return *rights_; }
  app::RevenueBook& revenue() { return *revenue_; }
  app::Settlements& settlements() { return *settlements_; }
  app::ContentDesk& content() { return *content_; }
  // The challenge service, opened on first use because it loads or creates two
  // sealed keys in the data directory (as before, only when a challenge route is
  // called); the error of opening it otherwise, retried on the next call.
  StatusOr<app::ChallengeService*> challenges();

 private:
  friend StatusOr<std::unique_ptr<Components>> OpenWith(app::Config config,
                                                        std::unique_ptr<store::Database> db,
                                                        const Clock& clock, Rng& rng);
  Components(const Clock& clock, Rng& rng) : clock_(clock), rng_(rng) {}

  const Clock& clock_;
  Rng& rng_;
  // Declared first, destroyed last: every other component uses it.
  std::unique_ptr<app::Service> service_;
  std::unique_ptr<app::LogReads> log_;
  std::unique_ptr<app::Pki> pki_;
  std::unique_ptr<app::RevocationService> revocation_;
  std::unique_ptr<app::CharacterRegistry> characters_;
  std::unique_ptr<app::WorkRegistry> works_;
  std::unique_ptr<app::AgreementRegistry> agreements_;
  std::unique_ptr<app::RightsRegistry> rights_;
  std::unique_ptr<app::RevenueBook> revenue_;
  std::unique_ptr<app::Settlements> settlements_;
  std::unique_ptr<app::ContentDesk> content_;
  std::mutex challenges_mu_;
  std::unique_ptr<app::ChallengeService> challenges_;  // guarded by challenges_mu_
};

// Opens the initialized data directory `data_dir`: reads DIR/config.toml
// (server/config_file.h), opens its database and builds the components. NotFound
// if DIR was never initialized; the errors of the config file and the store.
// When config.toml sets no public_url, the URL `vtrust serve` last served this
// directory at (LastServedUrl) is used, else app::Config's default (the default
// `vtrust serve --listen` address, http://127.0.0.1:8080).
StatusOr<std::unique_ptr<Components>> OpenComponents(const std::string& data_dir,
                                                     const Clock& clock, Rng& rng);
// As above for `vtrust serve`: when config.toml sets no public_url, `served_url`
// (the URL derived from --listen) is used and recorded as DIR/served_url.
StatusOr<std::unique_ptr<Components>> OpenComponents(const std::string& data_dir,
                                                     const Clock& clock, Rng& rng,
                                                     const std::string& served_url);

// The URL recorded in DIR/served_url by the last `vtrust serve` that derived its
// public URL from --listen; "" if none.
std::string LastServedUrl(const std::string& data_dir);

// Builds the components over an already-open database (migrating it); for tests.
// `config.data_dir` must exist: it holds the secrets. An empty config.public_url
// becomes app::Config's default.
StatusOr<std::unique_ptr<Components>> OpenWith(app::Config config,
                                               std::unique_ptr<store::Database> db,
                                               const Clock& clock, Rng& rng);

// Creates DIR (if needed), its config file and database, the operator
// organization, its first admin member and an admin token. FailedPrecondition if
// DIR already holds a vtrust data directory.
StatusOr<app::InitResult> InitDataDir(const std::string& data_dir, const app::Config& overrides,
                                      const Clock& clock, Rng& rng);

// Every route of the product, over `c` (which must outlive the router).
std::unique_ptr<api::Router> BuildRouter(Components& c);

}  // namespace vt::server
