#include "app/core/secrets.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "app/core/config.h"
#include "base/encoding.h"
#include "base/rng.h"

namespace vt::app {

StatusOr<Secrets> Secrets::OpenOrCreate(const std::string& data_dir, Rng& rng) {
  std::string dir = data_dir + "/secrets";
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return InternalError("cannot create " + dir + ": " + strerror(errno));
  std::string kek_path = dir + "/kek";
  if (access(kek_path.c_str(), F_OK) != 0) {
    std::string kek(32, '\0');
    rng.Fill(reinterpret_cast<uint8_t*>(kek.data()), kek.size());
    VT_RETURN_IF_ERROR(WriteFileAtomic(kek_path, HexEncode(kek) + "\n", 0600));
  }
  return Open(data_dir);
}

StatusOr<Secrets> Secrets::Open(const std::string& data_dir) {
  std::string dir = data_dir + "/secrets";
  std::string kek_path = dir + "/kek";
  VT_ASSIGN_OR_RETURN(std::string hex, ReadFile(kek_path));
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
  auto kek = HexDecode(hex);
  if (!kek.ok() || kek->size() < 16)
    return DataLossError(kek_path + " is not a valid key-encryption key");
  return Secrets(dir, *kek);
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

StatusOr<crypto::PrivateKey> Secrets::LoadOrCreate(const std::string& name, crypto::KeyAlg alg) {
  if (access((dir_ + "/" + name + ".key").c_str(), F_OK) == 0) return Load(name);
  VT_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::Generate(alg));
  VT_RETURN_IF_ERROR(Store(name, key));
  return key;
}

}  // namespace vt::app
