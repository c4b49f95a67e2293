// Offline roots (docs/operations.md, "Offline roots"): the root CA keys sign
// only the issuing CAs, so they leave the data directory once `ca init` has
// used them. ExportRootKeys moves every sealed root key from DIR/secrets to an
// export file that the operator keeps offline; `vtrust ca rotate-issuing
// --root-key FILE` brings one back for a key ceremony (Pki::RotateIssuing).
//
// The export file is text: a comment header, then per root
//   ca: <ca id> <key reference>
//   -----BEGIN ENCRYPTED PRIVATE KEY-----  (the sealed key, as in DIR/secrets)
// The keys stay sealed under the data directory's key-encryption key: the
// export file alone opens nothing, nor does a backup of the data directory and
// its KEK without the export file. Roots kept in a PKCS#11 token stay there.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "crypto/key.h"
#include "crypto/signer.h"

namespace vt::app {

struct RootExport {
  std::string path;                 // the export file ("" if nothing was exported)
  std::vector<std::string> ca_ids;  // the roots whose keys it holds
};

// Writes the sealed keys of every root CA of `svc`'s data directory whose key
// is sealed in DIR/secrets to `path` (mode 0600; AlreadyExists if the file
// exists), reads them back and unseals them to check, then deletes them from
// DIR/secrets. Nothing is deleted unless the whole file was written and
// checked. Returns an empty path when no root key is sealed there (token roots,
// or exported already).
StatusOr<RootExport> ExportRootKeys(Service& svc, const std::string& path);

// The key of root CA `ca_id` ("p256-root") from `root_key`: an export file
// written by ExportRootKeys (unsealed with the KEK of `config`), or a PKCS#11
// key reference "pkcs11:token=..;object=..". NotFound if the file holds no key
// for `ca_id`; InvalidArgument (field "root_key") for a file that is not an
// export file.
StatusOr<std::shared_ptr<crypto::Signer>> OpenRootKey(const Config& config,
                                                      const std::string& root_key,
                                                      const std::string& ca_id);

}  // namespace vt::app
