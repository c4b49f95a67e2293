#include "server/witness_host.h"

#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "app/core/config.h"
#include "app/core/secrets.h"
#include "crypto/signer.h"
#include "store/witness/witness_repo.h"
#include "tlog/note.h"
#include "tlog/note_keys.h"

namespace vt::server {
using app::Secrets;
using app::WriteFileAtomic;
namespace {

constexpr const char* kKeyName = "cosigner";

std::string ConfigPath(const std::string& dir) { return dir + "/witness.toml"; }

Status SaveWitnessConfig(const std::string& dir, const WitnessDirConfig& c) {
  toml::array logs;
  for (const auto& l : c.logs) {
    toml::array keys;
    for (const auto& k : l.vkeys) keys.push_back(k);
    logs.push_back(toml::table{{"origin", l.origin}, {"vkeys", std::move(keys)}});
  }
  toml::table t{{"name", c.name}, {"logs", std::move(logs)}};
  std::ostringstream out;
  out << "# vtrust witness configuration (vtrust witness add-log edits it)\n" << t << "\n";
  return WriteFileAtomic(ConfigPath(dir), out.str(), 0644);
}

StatusOr<std::string> TomlString(const toml::node* n, const std::string& what) {
  if (n == nullptr || !n->is_string()) return InvalidArgumentError(what + " must be a string");
  return **n->as_string();
}

}  // namespace

Status InitWitnessDir(const std::string& dir, const std::string& name, Rng& rng) {
  if (!tlog::IsValidKeyName(name))
    return InvalidArgumentError("invalid witness name \"" + name + "\" (no spaces or '+')")
        .WithField("name");
  if (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST)
    return InternalError("cannot create " + dir + ": " + strerror(errno));
  if (access(ConfigPath(dir).c_str(), F_OK) == 0)
    return FailedPreconditionError(dir + " is already a witness directory");
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::OpenOrCreate(dir, rng));
  VT_RETURN_IF_ERROR(secrets.LoadOrCreate(kKeyName, crypto::KeyAlg::kEd25519).status());
  return SaveWitnessConfig(dir, WitnessDirConfig{name, {}});
}

StatusOr<WitnessDirConfig> LoadWitnessConfig(const std::string& dir) {
  const std::string path = ConfigPath(dir);
  if (access(path.c_str(), F_OK) != 0)
    return NotFoundError(dir + " is not a witness directory; run `vtrust witness init --data " +
                         dir + " --name NAME` first");
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgumentError(path + ": " + std::string(e.description()));
  }
  WitnessDirConfig c;
  VT_ASSIGN_OR_RETURN(c.name, TomlString(t.get("name"), path + ": 'name'"));
  if (const toml::node* logs = t.get("logs")) {
    if (!logs->is_array()) return InvalidArgumentError(path + ": 'logs' must be an array");
    for (const toml::node& n : *logs->as_array()) {
      const toml::table* lt = n.as_table();
      if (lt == nullptr) return InvalidArgumentError(path + ": each of 'logs' must be a table");
      WitnessDirConfig::Log l;
      VT_ASSIGN_OR_RETURN(l.origin, TomlString(lt->get("origin"), path + ": 'origin'"));
      const toml::node* keys = lt->get("vkeys");
      if (keys == nullptr || !keys->is_array())
        return InvalidArgumentError(path + ": 'vkeys' of " + l.origin + " must be an array");
      for (const toml::node& k : *keys->as_array()) {
        VT_ASSIGN_OR_RETURN(std::string s, TomlString(&k, path + ": each vkey"));
        l.vkeys.push_back(std::move(s));
      }
      c.logs.push_back(std::move(l));
    }
  }
  return c;
}

StatusOr<std::string> AddWitnessLog(const std::string& dir, const std::string& vkey) {
  VT_ASSIGN_OR_RETURN(WitnessDirConfig c, LoadWitnessConfig(dir));
  auto v = tlog::ParseVerifierKey(vkey);
  if (!v.ok()) return std::move(v).status().Annotate("log vkey").WithField("vkey");
  if ((*v)->sig_type() != tlog::kSigTypeEd25519)
    return InvalidArgumentError("a log's vkey must be an Ed25519 note key (type 0x01)")
        .WithField("vkey");
  const std::string origin = (*v)->name();
  WitnessDirConfig::Log* log = nullptr;
  for (auto& l : c.logs)
    if (l.origin == origin) log = &l;
  if (log == nullptr) log = &c.logs.emplace_back(WitnessDirConfig::Log{origin, {}});
  for (const auto& k : log->vkeys)
    if (k == vkey) return AlreadyExistsError("log key " + vkey + " is already trusted");
  log->vkeys.push_back(vkey);
  VT_RETURN_IF_ERROR(SaveWitnessConfig(dir, c));
  return origin;
}

StatusOr<std::shared_ptr<tlog::Cosigner>> LoadCosigner(const std::string& dir) {
  VT_ASSIGN_OR_RETURN(WitnessDirConfig c, LoadWitnessConfig(dir));
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(dir));
  VT_ASSIGN_OR_RETURN(crypto::PrivateKey key, secrets.Load(kKeyName));
  std::shared_ptr<crypto::Signer> signer =
      crypto::MakeSoftwareSigner(std::move(key), "file:" + dir + "/secrets/cosigner.key");
  VT_ASSIGN_OR_RETURN(auto cosigner, tlog::Cosigner::Create(c.name, std::move(signer)));
  return std::shared_ptr<tlog::Cosigner>(std::move(cosigner));
}

StatusOr<std::unique_ptr<SqliteWitnessStateStore>> SqliteWitnessStateStore::Open(
    const std::string& path) {
  auto s = std::unique_ptr<SqliteWitnessStateStore>(new SqliteWitnessStateStore());
  VT_ASSIGN_OR_RETURN(s->db_, store::OpenSqlite(path));
  VT_ASSIGN_OR_RETURN(s->conn_, s->db_->Connect());
  VT_RETURN_IF_ERROR(store::CreateWitnessSchema(*s->conn_));
  return s;
}

StatusOr<std::optional<tlog::WitnessLogState>> SqliteWitnessStateStore::LoadLocked(
    std::string_view origin) {
  VT_ASSIGN_OR_RETURN(auto row, store::NewSqlWitnessRepo(*conn_)->FindState(origin));
  if (!row) return std::optional<tlog::WitnessLogState>();
  tlog::WitnessLogState st;
  st.size = row->size;
  VT_ASSIGN_OR_RETURN(st.root, tlog::HashFromBytes(row->root));
  return std::optional<tlog::WitnessLogState>(st);
}

StatusOr<std::optional<tlog::WitnessLogState>> SqliteWitnessStateStore::Load(
    std::string_view origin) {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadLocked(origin);
}

Status SqliteWitnessStateStore::CompareAndSwap(std::string_view origin,
                                               const std::optional<tlog::WitnessLogState>& expected,
                                               const tlog::WitnessLogState& next) {
  std::lock_guard<std::mutex> lock(mu_);
  return store::InTransaction(
      *conn_,
      [&](store::Conn& c) -> Status {
        VT_ASSIGN_OR_RETURN(auto cur, LoadLocked(origin));
        if (cur != expected)
          return AbortedError("witness state of " + std::string(origin) + " changed");
        return store::NewSqlWitnessRepo(c)->PutState(
            origin, store::WitnessStateRow{next.size, tlog::HashBytes(next.root)});
      },
      /*max_attempts=*/1);
}

StatusOr<std::unique_ptr<WitnessHost>> OpenWitnessHost(const std::string& dir, const Clock& clock) {
  VT_ASSIGN_OR_RETURN(WitnessDirConfig c, LoadWitnessConfig(dir));
  if (c.logs.empty())
    return FailedPreconditionError(
        "the witness trusts no log yet; run `vtrust witness add-log "
        "--data " +
        dir + " --vkey LOGVKEY`");
  std::vector<tlog::WitnessLogConfig> logs;
  for (const auto& l : c.logs) {
    tlog::WitnessLogConfig wl{l.origin, {}};
    for (const auto& k : l.vkeys) {
      VT_ASSIGN_OR_RETURN(auto v, tlog::ParseVerifierKey(k));
      if (v->name() != l.origin || v->sig_type() != tlog::kSigTypeEd25519)
        return InvalidArgumentError("witness.toml: key " + k + " does not fit log " + l.origin);
      wl.log_keys.push_back(std::move(v));
    }
    logs.push_back(std::move(wl));
  }
  auto host = std::make_unique<WitnessHost>();
  VT_ASSIGN_OR_RETURN(auto cosigner, LoadCosigner(dir));
  host->name = c.name;
  host->vkey = cosigner->VerifierKey();
  VT_ASSIGN_OR_RETURN(host->store, SqliteWitnessStateStore::Open(dir + "/witness.db"));
  VT_ASSIGN_OR_RETURN(host->witness, tlog::Witness::Create(std::move(logs), {std::move(cosigner)},
                                                           *host->store, clock));
  return host;
}

}  // namespace vt::server
