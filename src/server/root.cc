#include "server/root.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "api/routes.h"
#include "server/config_file.h"
#include "server/data_dir.h"

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
    VT_ASSIGN_OR_RETURN(challenges_,
                        app::ChallengeService::Open(*service_, rng_,
                                                    service_->config().challenge_quota_per_client));
  }
  return challenges_.get();
}

StatusOr<std::unique_ptr<Components>> OpenWith(app::Config config,
                                               std::unique_ptr<store::Database> db,
                                               const Clock& clock, Rng& rng) {
  std::unique_ptr<Components> c(new Components(clock, rng));
  if (config.public_url.empty()) config.public_url = app::Config().public_url;
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

namespace {

constexpr const char* kServedUrlFile = "/served_url";

StatusOr<std::unique_ptr<Components>> Open(app::Config config, const Clock& clock, Rng& rng) {
  VT_ASSIGN_OR_RETURN(auto db, store::OpenDatabase(config.DatabaseUrl()));
  return OpenWith(std::move(config), std::move(db), clock, rng);
}

}  // namespace

std::string LastServedUrl(const std::string& data_dir) {
  auto text = app::ReadFile(data_dir + kServedUrlFile);
  if (!text.ok()) return "";
  std::string url = *text;
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
  return url.find('\n') == std::string::npos ? url : "";
}

StatusOr<std::unique_ptr<Components>> OpenComponents(const std::string& data_dir,
                                                     const Clock& clock, Rng& rng) {
  VT_ASSIGN_OR_RETURN(app::Config config, LoadConfig(data_dir));
  if (config.public_url.empty()) config.public_url = LastServedUrl(data_dir);
  return Open(std::move(config), clock, rng);
}

StatusOr<std::unique_ptr<Components>> OpenComponents(const std::string& data_dir,
                                                     const Clock& clock, Rng& rng,
                                                     const std::string& served_url) {
  VT_ASSIGN_OR_RETURN(app::Config config, LoadConfig(data_dir));
  if (config.public_url.empty() && !served_url.empty()) {
    config.public_url = served_url;
    if (LastServedUrl(data_dir) != served_url)
      VT_RETURN_IF_ERROR(app::WriteFileAtomic(data_dir + kServedUrlFile, served_url + "\n", 0600));
  }
  return Open(std::move(config), clock, rng);
}

StatusOr<app::InitResult> InitDataDir(const std::string& data_dir, const app::Config& overrides,
                                      const Clock& clock, Rng& rng) {
  VT_RETURN_IF_ERROR(MakeDir(data_dir, 0700));
  if (access((data_dir + "/config.toml").c_str(), F_OK) == 0)
    return FailedPreconditionError(data_dir + " is already a vtrust data directory");
  // An existing directory keeps no looser mode (docs/operations.md "File permissions").
  if (chmod(data_dir.c_str(), 0700) != 0)
    return InternalError("cannot chmod 700 " + data_dir + ": " + strerror(errno));
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
  auto result = c->service().Bootstrap();
  VT_RETURN_IF_ERROR(result.status());
  VT_RETURN_IF_ERROR(TightenDataDirFiles(data_dir));
  return result;
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
  api::AddContentRoutes(*r, c.content(), c.service().config().content_max_body_bytes);
  api::AddPortalRoutes(*r);
  return r;
}

}  // namespace vt::server
