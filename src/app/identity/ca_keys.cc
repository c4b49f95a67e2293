#include "app/identity/ca_keys.h"

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>

#include "app/core/secrets.h"
#include "crypto/pkcs11_signer.h"

namespace vt::app {
namespace {

bool ValidName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return s != "." && s != "..";
}

std::string ModulePath(const Config& config) {
  return config.pkcs11_module.empty() ? std::string(crypto::kDefaultPkcs11Module)
                                      : config.pkcs11_module;
}

// One session per (module, token label) for the whole process.
StatusOr<std::shared_ptr<crypto::Pkcs11Token>> OpenToken(const Config& config,
                                                         const std::string& label) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<crypto::Pkcs11Token>> open;
  const char* pin = std::getenv(kPkcs11PinEnv);
  if (pin == nullptr || *pin == '\0')
    return FailedPreconditionError(std::string("the PKCS#11 user PIN is read from ") +
                                   kPkcs11PinEnv + ", which is not set");
  std::string module = ModulePath(config);
  std::lock_guard<std::mutex> lock(mu);
  std::string key = module + "\n" + label;
  if (auto t = open[key].lock()) return t;
  VT_ASSIGN_OR_RETURN(auto token, crypto::Pkcs11Token::Open({module, label, pin}));
  open[key] = token;
  return token;
}

}  // namespace

std::string KeyRef::ToString() const {
  return is_pkcs11() ? Pkcs11KeyRef(token, object) : SecretKeyRef(secret_name);
}

std::string SecretKeyRef(const std::string& name) { return "secrets:" + name; }
std::string Pkcs11KeyRef(const std::string& token, const std::string& object) {
  return "pkcs11:token=" + token + ";object=" + object;
}

StatusOr<KeyRef> ParseKeyRef(const std::string& key_ref) {
  auto bad = [&] {
    return InvalidArgumentError("bad key reference '" + key_ref + "'").WithField("key_ref");
  };
  KeyRef r;
  if (key_ref.rfind("secrets:", 0) == 0) {
    r.secret_name = key_ref.substr(8);
    if (!ValidName(r.secret_name)) return bad();
    return r;
  }
  const std::string p = "pkcs11:token=";
  if (key_ref.rfind(p, 0) != 0) return bad();
  size_t semi = key_ref.find(";object=", p.size());
  if (semi == std::string::npos) return bad();
  r.token = key_ref.substr(p.size(), semi - p.size());
  r.object = key_ref.substr(semi + 8);
  if (!ValidName(r.token) || !ValidName(r.object)) return bad();
  return r;
}

StatusOr<std::shared_ptr<crypto::Signer>> OpenKeyRef(const Config& config,
                                                     const std::string& key_ref) {
  VT_ASSIGN_OR_RETURN(KeyRef r, ParseKeyRef(key_ref));
  if (r.is_pkcs11()) {
    VT_ASSIGN_OR_RETURN(auto token, OpenToken(config, r.token));
    VT_ASSIGN_OR_RETURN(auto signer, crypto::MakePkcs11Signer(token, r.object));
    return std::shared_ptr<crypto::Signer>(std::move(signer));
  }
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(config));
  std::string path = config.data_dir + "/secrets/" + r.secret_name + ".key";
  if (access(path.c_str(), F_OK) != 0) return NotFoundError("no sealed key " + key_ref);
  VT_ASSIGN_OR_RETURN(crypto::PrivateKey key, secrets.Load(r.secret_name));
  return std::shared_ptr<crypto::Signer>(crypto::MakeSoftwareSigner(std::move(key), key_ref));
}

StatusOr<crypto::PrivateKey> OpenSoftwareKey(const Config& config, const std::string& key_ref) {
  VT_ASSIGN_OR_RETURN(KeyRef r, ParseKeyRef(key_ref));
  if (r.is_pkcs11()) return UnimplementedError("key " + key_ref + " is in a PKCS#11 token");
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(config.data_dir));
  std::string path = config.data_dir + "/secrets/" + r.secret_name + ".key";
  if (access(path.c_str(), F_OK) != 0) return NotFoundError("no sealed key " + key_ref);
  return secrets.Load(r.secret_name);
}

StatusOr<CreatedKey> CreateKey(const Config& config, crypto::KeyAlg alg, const std::string& name,
                               const std::string& token) {
  if (!ValidName(name) || (!token.empty() && !ValidName(token)))
    return InvalidArgumentError("bad key name '" + name + "'").WithField("key_ref");
  if (!token.empty()) {
    if (alg == crypto::KeyAlg::kSm2)
      return UnimplementedError("PKCS#11 defines no SM2 mechanism; SM2 keys are sealed");
    VT_ASSIGN_OR_RETURN(auto t, OpenToken(config, token));
    VT_RETURN_IF_ERROR(t->GenerateKeyPair(alg, name).status());
    VT_ASSIGN_OR_RETURN(auto signer, crypto::MakePkcs11Signer(t, name));
    return CreatedKey{Pkcs11KeyRef(token, name),
                      std::shared_ptr<crypto::Signer>(std::move(signer))};
  }
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(config));
  std::string path = config.data_dir + "/secrets/" + name + ".key";
  if (access(path.c_str(), F_OK) == 0) return AlreadyExistsError("sealed key " + name + " exists");
  VT_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::Generate(alg));
  VT_RETURN_IF_ERROR(secrets.Store(name, key));
  std::string ref = SecretKeyRef(name);
  return CreatedKey{ref, std::shared_ptr<crypto::Signer>(crypto::MakeSoftwareSigner(key, ref))};
}

}  // namespace vt::app
