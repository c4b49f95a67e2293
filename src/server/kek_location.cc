#include "server/kek_location.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "app/core/secrets.h"
#include "base/encoding.h"
#include "server/config_file.h"

namespace vt::server {
namespace {

namespace fs = std::filesystem;

// "<dir name>-<8 hex>": the data directory's name (for people) and randomness
// (two directories of one name get two files).
std::string DataDirStem(const std::string& data_dir, Rng& rng) {
  fs::path p = fs::absolute(data_dir).lexically_normal();
  std::string name = p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  std::string clean;
  for (char c : name)
    clean += (isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '_';
  if (clean.empty() || clean[0] == '.') clean = "vtrust" + clean;
  std::string r(4, '\0');
  rng.Fill(reinterpret_cast<uint8_t*>(r.data()), r.size());
  return clean + "-" + HexEncode(r);
}

bool Under(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  if (ec) p = fs::absolute(path).lexically_normal();
  fs::path d = fs::weakly_canonical(dir, ec);
  if (ec) d = fs::absolute(dir).lexically_normal();
  auto rel = p.lexically_relative(d);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

StatusOr<std::string> UserConfigDir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/vtrust";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.config/vtrust";
  return FailedPreconditionError(
      "neither XDG_CONFIG_HOME nor HOME is set: name the key-encryption key with --kek "
      "file:/PATH (outside the data directory)");
}

StatusOr<std::string> PrepareKek(const std::string& data_dir, const std::string& requested,
                                 bool insecure_local, Rng& rng) {
  if (access((data_dir + "/config.toml").c_str(), F_OK) == 0)
    return FailedPreconditionError(data_dir + " is already a vtrust data directory");
  if (insecure_local) {
    if (!requested.empty())
      return InvalidArgumentError("--kek and --insecure-local-kek exclude each other")
          .WithField("kek");
    return std::string();
  }
  app::Config probe;
  probe.data_dir = data_dir;
  if (!requested.empty()) {
    probe.kek = requested;
    VT_ASSIGN_OR_RETURN(app::KekSource source, app::ParseKekSource(probe));
    if (source.kind == app::KekSource::Kind::kFile && access(source.name.c_str(), F_OK) != 0)
      VT_RETURN_IF_ERROR(app::CreateKekFile(source.name, rng));
    VT_ASSIGN_OR_RETURN(bool inside, KekInsideDataDir(probe));
    if (inside)
      return InvalidArgumentError("--kek " + requested +
                                  " is inside the data directory; name a place outside it")
          .WithField("kek");
    // Fails now, not halfway through init, if the variable or credential is unset.
    VT_RETURN_IF_ERROR(app::Secrets::Open(probe).status());
    return requested;
  }
  VT_ASSIGN_OR_RETURN(std::string dir, UserConfigDir());
  std::string path = dir + "/" + DataDirStem(data_dir, rng) + ".kek";
  VT_RETURN_IF_ERROR(app::CreateKekFile(path, rng));
  return "file:" + path;
}

StatusOr<bool> KekInsideDataDir(const app::Config& config) {
  VT_ASSIGN_OR_RETURN(app::KekSource source, app::ParseKekSource(config));
  if (source.kind == app::KekSource::Kind::kLocal) return true;
  if (source.kind == app::KekSource::Kind::kEnv) return false;
  auto path = app::KekFilePath(source);
  if (!path.ok()) return false;  // an unset credential directory: Secrets::Open says so
  return Under(*path, config.data_dir);
}

std::string InsideKekMessage(const app::Config& config) {
  auto source = app::ParseKekSource(config);
  std::string where = source.ok() ? source->name : config.data_dir + "/secrets/kek";
  return "the key-encryption key " + where + " is inside the data directory " + config.data_dir +
         " (a copy of it opens every private key): move it out with `vtrust kek move-out --data " +
         config.data_dir + "`, or pass --insecure-local-kek";
}

StatusOr<std::string> DefaultRootExportPath(const app::Config& config, Rng& rng) {
  auto source = app::ParseKekSource(config);
  if (source.ok() && source->kind == app::KekSource::Kind::kFile &&
      !Under(source->name, config.data_dir)) {
    std::string stem = source->name;
    if (stem.ends_with(".kek")) stem.resize(stem.size() - 4);
    std::string path = stem + ".roots.pem";
    if (access(path.c_str(), F_OK) != 0) return path;
  }
  VT_ASSIGN_OR_RETURN(std::string dir, UserConfigDir());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) fs::permissions(dir, fs::perms::owner_all, ec);
  return dir + "/" + DataDirStem(config.data_dir, rng) + ".roots.pem";
}

StatusOr<std::string> MoveKekOut(const std::string& data_dir, const std::string& dest, Rng& rng) {
  VT_ASSIGN_OR_RETURN(app::Config config, LoadConfig(data_dir));
  VT_ASSIGN_OR_RETURN(bool inside, KekInsideDataDir(config));
  VT_ASSIGN_OR_RETURN(app::KekSource source, app::ParseKekSource(config));
  if (!inside)
    return FailedPreconditionError("the key-encryption key (" + source.Describe() +
                                   ") is outside the data directory already");
  VT_ASSIGN_OR_RETURN(std::string old_path, app::KekFilePath(source));
  VT_ASSIGN_OR_RETURN(std::string hex, app::ReadFile(old_path));
  std::string to = dest;
  if (to.empty()) {
    VT_ASSIGN_OR_RETURN(std::string dir, UserConfigDir());
    to = dir + "/" + DataDirStem(data_dir, rng) + ".kek";
  }
  if (to[0] != '/')
    return InvalidArgumentError("the KEK's new place must be an absolute path").WithField("to");
  if (Under(to, data_dir))
    return InvalidArgumentError(to + " is inside the data directory").WithField("to");
  if (access(to.c_str(), F_OK) == 0)
    return AlreadyExistsError(to + " exists already").WithField("to");
  std::error_code ec;
  fs::path parent = fs::path(to).parent_path();
  if (!fs::exists(parent)) {
    fs::create_directories(parent, ec);
    if (ec) return InternalError("cannot create " + parent.string() + ": " + ec.message());
    fs::permissions(parent, fs::perms::owner_all, ec);
  }
  VT_RETURN_IF_ERROR(app::WriteFileAtomic(to, hex, 0600));
  config.kek = "file:" + to;
  VT_RETURN_IF_ERROR(SaveConfig(config));
  if (unlink(old_path.c_str()) != 0)
    return InternalError("moved the KEK to " + to + " but could not delete " + old_path);
  return to;
}

}  // namespace vt::server
