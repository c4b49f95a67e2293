// Offline roots: export and re-import of the root CA keys (root_keys.h).
#include "app/identity/root_keys.h"

#include <unistd.h>

#include <sstream>

#include "app/core/secrets.h"
#include "app/identity/ca_keys.h"
#include "app/identity/pki.h"
#include "store/identity/identity_repo.h"

namespace vt::app {
namespace {

constexpr const char* kHeader =
    "# vtrust offline root CA keys (docs/operations.md, \"Offline roots\").\n"
    "# Sealed under the key-encryption key of the data directory below: keep this\n"
    "# file offline and apart from the KEK. `vtrust ca rotate-issuing --root-key FILE`\n"
    "# uses it for a key ceremony.\n";

// ca id -> (key reference, sealed PEM) of an export file.
struct ExportedKey {
  std::string ca_id, key_ref, pem;
};

StatusOr<std::vector<ExportedKey>> ParseExport(const std::string& text, const std::string& path) {
  std::vector<ExportedKey> out;
  std::istringstream in(text);
  std::string line;
  ExportedKey* cur = nullptr;
  bool in_pem = false;
  while (std::getline(in, line)) {
    if (line.rfind("ca: ", 0) == 0) {
      std::istringstream f(line.substr(4));
      ExportedKey k;
      f >> k.ca_id >> k.key_ref;
      out.push_back(std::move(k));
      cur = &out.back();
      in_pem = false;
    } else if (cur != nullptr && line.rfind("-----BEGIN ", 0) == 0) {
      in_pem = true;
      cur->pem += line + "\n";
    } else if (cur != nullptr && in_pem) {
      cur->pem += line + "\n";
      if (line.rfind("-----END ", 0) == 0) in_pem = false;
    }
  }
  if (out.empty())
    return InvalidArgumentError(path + " is not a root key export file of vtrust")
        .WithField("root_key");
  return out;
}

}  // namespace

StatusOr<RootExport> ExportRootKeys(Service& svc, const std::string& path) {
  const Config& config = svc.config();
  VT_ASSIGN_OR_RETURN(auto rows, svc.Read<std::vector<store::CaRow>>([](store::Conn& c) {
    return store::NewSqlIdentityRepo(c)->ListCas();
  }));
  std::vector<ExportedKey> keys;
  for (const auto& row : rows) {
    if (row.kind != CaKind::kRoot) continue;
    VT_ASSIGN_OR_RETURN(KeyRef ref, ParseKeyRef(row.key_ref));
    if (ref.is_pkcs11()) continue;
    std::string file = config.data_dir + "/secrets/" + ref.secret_name + ".key";
    if (access(file.c_str(), F_OK) != 0) continue;  // exported already
    VT_ASSIGN_OR_RETURN(std::string pem, ReadFile(file));
    keys.push_back({row.id, row.key_ref, std::move(pem)});
  }
  RootExport result;
  if (keys.empty()) return result;
  if (access(path.c_str(), F_OK) == 0)
    return AlreadyExistsError("the root key export file " + path + " exists already");
  std::string text = std::string(kHeader) + "# data directory: " + config.data_dir + "\n";
  for (const auto& k : keys) text += "ca: " + k.ca_id + " " + k.key_ref + "\n" + k.pem;
  VT_RETURN_IF_ERROR(WriteFileAtomic(path, text, 0600));
  // Read back and unseal every key before anything is deleted.
  for (const auto& k : keys) {
    auto signer = OpenRootKey(config, path, k.ca_id);
    if (!signer.ok())
      return std::move(signer).status().Annotate("checking the export file " + path);
  }
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(config));
  for (const auto& k : keys) {
    VT_ASSIGN_OR_RETURN(KeyRef ref, ParseKeyRef(k.key_ref));
    VT_RETURN_IF_ERROR(secrets.Remove(ref.secret_name));
    result.ca_ids.push_back(k.ca_id);
  }
  result.path = path;
  return result;
}

StatusOr<std::shared_ptr<crypto::Signer>> OpenRootKey(const Config& config,
                                                      const std::string& root_key,
                                                      const std::string& ca_id) {
  if (root_key.rfind("pkcs11:", 0) == 0) return OpenKeyRef(config, root_key);
  auto text = ReadFile(root_key);
  if (!text.ok())
    return NotFoundError("cannot read the root key export file " + root_key + ": " +
                         text.status().message());
  VT_ASSIGN_OR_RETURN(auto keys, ParseExport(*text, root_key));
  for (const auto& k : keys) {
    if (k.ca_id != ca_id) continue;
    VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(config));
    auto key = secrets.Unseal(k.pem);
    if (!key.ok())
      return std::move(key).status().Annotate("opening the key of " + ca_id + " in " + root_key +
                                              " (sealed under another key-encryption key?)");
    return std::shared_ptr<crypto::Signer>(
        crypto::MakeSoftwareSigner(std::move(*key), "export:" + root_key + "#" + ca_id));
  }
  return NotFoundError(root_key + " holds no key for " + ca_id);
}

}  // namespace vt::app
