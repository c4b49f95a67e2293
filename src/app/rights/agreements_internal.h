// Helpers shared by the agreement registry's .cc files. Not a public API.
#pragma once

#include <string>
#include <vector>

#include "app/rights/agreements.h"
#include "app/rights/rights_tx.h"
#include "base/encoding.h"
#include "store/rights/rights_repo.h"

namespace vt::app {

// Rebuilds a version from its row (signatures left empty). Internal if corrupt.
StatusOr<AgreementVersion> VersionFromRow(const store::AgreementVersionRow& r);

// Accepted signatures on a document, oldest first.
StatusOr<std::vector<DocSignature>> LoadSignatures(store::RightsReader& repo,
                                                   const std::string& hash);

}  // namespace vt::app

namespace vt::app {

struct VerifiedSigner;

// Inserts `signer`'s signature on document `hash` whose affected parties are
// `affected` and which already carries `existing`. Sets *out and whether every
// affected party has now signed. AlreadyExists if this member signed already;
// PermissionDenied (field "certificate") if the signer stands for no affected
// party still missing.
Status RecordSignature(RightsTx& tx, const std::string& hash,
                       const std::vector<std::string>& affected,
                       const std::vector<DocSignature>& existing, const VerifiedSigner& signer,
                       DocSignature* out, bool* complete);

}  // namespace vt::app
