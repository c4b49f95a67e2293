#include "server/root.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "api/routes.h"
#include "server/config_file.h"

namespace vt::server {
namespace {

Status MakeDir(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
    return InternalError("cannot create " + path + ": " + strerror(errno));
  return OkStatus();
}

}  // namespace

Components::~Components() {
  // The components hold references to the Service: release them first.
  {
    std::lock_guard<std::mutex> lock(challenges_mu_);
    challenges_.reset();
  }
  content_.reset();
  settlements_.reset();
  revenue_.reset();
  rights_.reset();
  agreements_.reset();
  works_.reset();
  characters_.reset();
  revocation_.reset();
  pki_.reset();
  log_.reset();
  service_.reset();  // drains the committer and closes the store
}

StatusOr<app::ChallengeService*> Components::challenges() {
  std::lock_guard<std::mutex> lock(challenges_mu_);
  if (!challenges_) {
    VT_ASSIGN_OR_RETURN(challenges_, app::ChallengeService::Open(*service_, rng_));
  }
  return challenges_.get();
}

StatusOr<std::unique_ptr<Components>> OpenWith(app::Config config,
                                               std::unique_ptr<store::Database> db,
                                               const Clock& clock, Rng& rng) {
  std::unique_ptr<Components> c(new Components(clock, rng));
  VT_ASSIGN_OR_RETURN(c->service_,
                      app::Service::OpenWith(std::move(config), std::move(db), clock, rng));
  app::Service& svc = *c->service_;
  c->log_ = std::make_unique<app::LogReads>(svc);
  c->pki_ = std::make_unique<app::Pki>(svc, rng);
  c->revocation_ = std::make_unique<app::RevocationService>(svc);
  c->characters_ = std::make_unique<app::CharacterRegistry>(svc, rng);
  c->works_ = std::make_unique<app::WorkRegistry>(svc, rng);
  c->agreements_ = std::make_unique<app::AgreementRegistry>(svc, rng);
  c->rights_ = std::make_unique<app::RightsRegistry>(svc, rng);
  c->revenue_ = std::make_unique<app::RevenueBook>(svc, rng);
  c->settlements_ = std::make_unique<app::Settlements>(svc, rng);
  c->content_ = std::make_unique<app::ContentDesk>(svc, *c->pki_, *c->revocation_, *c->characters_,
                                                   *c->works_);
  return c;
}

StatusOr<std::unique_ptr<Components>> OpenComponents(const std::string& data_dir,
                                                     const Clock& clock, Rng& rng) {
  VT_ASSIGN_OR_RETURN(app::Config config, LoadConfig(data_dir));
  VT_ASSIGN_OR_RETURN(auto db, store::OpenDatabase(config.DatabaseUrl()));
  return OpenWith(std::move(config), std::move(db), clock, rng);
}

StatusOr<app::InitResult> InitDataDir(const std::string& data_dir, const app::Config& overrides,
                                      const Clock& clock, Rng& rng) {
  VT_RETURN_IF_ERROR(MakeDir(data_dir, 0750));
  if (access((data_dir + "/config.toml").c_str(), F_OK) == 0)
    return FailedPreconditionError(data_dir + " is already a vtrust data directory");
  VT_RETURN_IF_ERROR(MakeDir(data_dir + "/secrets", 0700));
  app::Config config = overrides;
  config.data_dir = data_dir;
  if (config.log_origin.empty()) {
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    config.log_origin = std::string(host) + "/log";
  }
  VT_RETURN_IF_ERROR(SaveConfig(config));
  VT_ASSIGN_OR_RETURN(auto c, OpenComponents(data_dir, clock, rng));
  return c->service().Bootstrap();
}

std::unique_ptr<api::Router> BuildRouter(Components& c) {
  app::Service& svc = c.service();
  auto r = std::make_unique<api::Router>(svc);
  api::AddSystemRoutes(*r, svc);
  api::AddAccessRoutes(*r, svc);
  api::AddLogRoutes(*r, c.log());
  api::AddCharacterRoutes(*r, c.characters());
  api::AddCardRoutes(*r, c.pki());
  api::AddWorkRoutes(*r, c.works());
  api::AddChallengeRoutes(*r, svc, [&c] { return c.challenges(); });
  api::AddAgreementRoutes(*r, c.agreements());
  api::AddRightsRoutes(*r, c.rights());
  api::AddSettlementRoutes(*r, c.revenue(), c.settlements());
  api::AddPkiRoutes(*r, svc, c.revocation());
  api::AddContentRoutes(*r, c.content());
  api::AddPortalRoutes(*r);
  return r;
}

}  // namespace vt::server
