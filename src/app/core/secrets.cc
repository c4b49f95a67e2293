#include "app/core/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/encoding.h"
#include "base/rng.h"

namespace vt::app {
namespace {

Status MakeDirs(const std::string& path, mode_t mode) {
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') continue;
    std::string part = path.substr(0, i);
    if (mkdir(part.c_str(), mode) != 0 && errno != EEXIST)
      return InternalError("cannot create " + part + ": " + strerror(errno));
  }
  return OkStatus();
}

StatusOr<std::string> DecodeKek(std::string hex, const std::string& where) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ' || hex.back() == '\r'))
    hex.pop_back();
  auto kek = HexDecode(hex);
  if (!kek.ok() || kek->size() < 16)
    return DataLossError(where + " is not a valid key-encryption key (hex, at least 16 bytes)");
  return std::move(*kek);
}

}  // namespace

std::string KekSource::Describe() const {
  switch (kind) {
    case Kind::kLocal:
    case Kind::kFile:
      return "file " + name;
    case Kind::kEnv:
      return "environment variable " + name;
    case Kind::kCredential:
      return "systemd credential " + name;
  }
  return name;
}

StatusOr<KekSource> ParseKekSource(const Config& config) {
  const std::string& v = config.kek;
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError("kek '" + v + "': " + why).WithField("kek");
  };
  KekSource s;
  if (v.empty()) {
    s.kind = KekSource::Kind::kLocal;
    s.name = config.data_dir + "/secrets/kek";
  } else if (v.rfind("env:", 0) == 0) {
    s.kind = KekSource::Kind::kEnv;
    s.name = v.substr(4);
    if (s.name.empty()) return bad("names no environment variable");
  } else if (v.rfind("credential:", 0) == 0) {
    s.kind = KekSource::Kind::kCredential;
    s.name = v.substr(11);
    if (s.name.empty() || s.name.find('/') != std::string::npos)
      return bad("a credential name has no '/'");
  } else {
    s.kind = KekSource::Kind::kFile;
    s.name = v.rfind("file:", 0) == 0 ? v.substr(5) : v;
    if (s.name.empty() || s.name[0] != '/') return bad("a KEK file must be an absolute path");
  }
  return s;
}

StatusOr<std::string> KekFilePath(const KekSource& source) {
  switch (source.kind) {
    case KekSource::Kind::kLocal:
    case KekSource::Kind::kFile:
      return source.name;
    case KekSource::Kind::kEnv:
      return std::string();
    case KekSource::Kind::kCredential: {
      const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
      if (dir == nullptr || *dir == '\0')
        return FailedPreconditionError("the KEK is the systemd credential " + source.name +
                                       " but $CREDENTIALS_DIRECTORY is not set (LoadCredential=)");
      return std::string(dir) + "/" + source.name;
    }
  }
  return std::string();
}

Status CreateKekFile(const std::string& path, Rng& rng) {
  size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0)
    VT_RETURN_IF_ERROR(MakeDirs(path.substr(0, slash), 0700));
  if (access(path.c_str(), F_OK) == 0)
    return AlreadyExistsError("a key-encryption key exists already at " + path);
  std::string kek(32, '\0');
  rng.Fill(reinterpret_cast<uint8_t*>(kek.data()), kek.size());
  return WriteFileAtomic(path, HexEncode(kek) + "\n", 0600);
}

StatusOr<Secrets> Secrets::OpenWithSource(const std::string& data_dir, const KekSource& source) {
  std::string dir = data_dir + "/secrets";
  if (source.kind == KekSource::Kind::kEnv) {
    const char* v = std::getenv(source.name.c_str());
    if (v == nullptr || *v == '\0')
      return NotFoundError("the key-encryption key is read from the environment variable " +
                           source.name + ", which is not set");
    VT_ASSIGN_OR_RETURN(std::string kek, DecodeKek(v, "$" + source.name));
    return Secrets(dir, std::move(kek));
  }
  VT_ASSIGN_OR_RETURN(std::string path, KekFilePath(source));
  if (access(path.c_str(), F_OK) != 0)
    return NotFoundError("the key-encryption key " + path +
                         " does not exist (the data directory's keys cannot be opened without "
                         "it; restore it, or set `kek` in config.toml)");
  VT_ASSIGN_OR_RETURN(std::string hex, ReadFile(path));
  VT_ASSIGN_OR_RETURN(std::string kek, DecodeKek(std::move(hex), path));
  return Secrets(dir, std::move(kek));
}

StatusOr<Secrets> Secrets::OpenOrCreate(const Config& config, Rng& rng) {
  VT_ASSIGN_OR_RETURN(KekSource source, ParseKekSource(config));
  if (source.kind == KekSource::Kind::kLocal) return OpenOrCreate(config.data_dir, rng);
  std::string dir = config.data_dir + "/secrets";
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return InternalError("cannot create " + dir + ": " + strerror(errno));
  return OpenWithSource(config.data_dir, source);
}

StatusOr<Secrets> Secrets::Open(const Config& config) {
  VT_ASSIGN_OR_RETURN(KekSource source, ParseKekSource(config));
  return OpenWithSource(config.data_dir, source);
}

StatusOr<Secrets> Secrets::OpenOrCreate(const std::string& data_dir, Rng& rng) {
  std::string dir = data_dir + "/secrets";
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return InternalError("cannot create " + dir + ": " + strerror(errno));
  std::string kek_path = dir + "/kek";
  if (access(kek_path.c_str(), F_OK) != 0) VT_RETURN_IF_ERROR(CreateKekFile(kek_path, rng));
  return Open(data_dir);
}

StatusOr<Secrets> Secrets::Open(const std::string& data_dir) {
  return OpenWithSource(data_dir, KekSource{KekSource::Kind::kLocal, data_dir + "/secrets/kek"});
}

StatusOr<crypto::PrivateKey> Secrets::Load(const std::string& name) {
  VT_ASSIGN_OR_RETURN(std::string pem, ReadFile(dir_ + "/" + name + ".key"));
  auto key = crypto::UnsealKeyPem(pem, kek_);
  if (!key.ok()) return std::move(key).status().Annotate("opening key '" + name + "'");
  return key;
}

Status Secrets::Store(const std::string& name, const crypto::PrivateKey& key) {
  VT_ASSIGN_OR_RETURN(std::string pem, crypto::SealKeyPem(key, kek_));
  return WriteFileAtomic(dir_ + "/" + name + ".key", pem, 0600);
}

Status Secrets::Remove(const std::string& name) {
  std::string path = dir_ + "/" + name + ".key";
  if (unlink(path.c_str()) != 0)
    return errno == ENOENT ? NotFoundError("no sealed key " + name)
                           : InternalError("cannot remove " + path + ": " + strerror(errno));
  int fd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  return OkStatus();
}

StatusOr<std::string> Secrets::Seal(const crypto::PrivateKey& key) const {
  return crypto::SealKeyPem(key, kek_);
}

StatusOr<crypto::PrivateKey> Secrets::Unseal(const std::string& pem) const {
  return crypto::UnsealKeyPem(pem, kek_);
}

StatusOr<crypto::PrivateKey> Secrets::LoadOrCreate(const std::string& name, crypto::KeyAlg alg) {
  if (access((dir_ + "/" + name + ".key").c_str(), F_OK) == 0) return Load(name);
  VT_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::Generate(alg));
  VT_RETURN_IF_ERROR(Store(name, key));
  return key;
}

}  // namespace vt::app
