// Helpers shared by the agreement registry's .cc files. Not a public API.
#pragma once

#include <string>
#include <vector>

#include "base/encoding.h"
#include "app/rights/agreements.h"
#include "store/sql.h"

namespace vt::app {

// Columns VersionFromRow reads, in order.
inline constexpr const char* kVersionCols =
    "hash, agreement_id, version, document, status, effective_at, created_at, log_index";

// Rebuilds a version from its row (signatures left empty). Internal if corrupt.
StatusOr<AgreementVersion> VersionFromRow(const store::Row& r);

// Accepted signatures on a document, oldest first.
StatusOr<std::vector<DocSignature>> LoadSignatures(store::Conn& c, const std::string& hash);

}  // namespace vt::app

namespace vt::app {

struct VerifiedSigner;

// Inserts `signer`'s signature on document `hash` whose affected parties are
// `affected` and which already carries `existing`. Sets *out and whether every
// affected party has now signed. AlreadyExists if this member signed already;
// PermissionDenied (field "certificate") if the signer stands for no affected
// party still missing.
Status RecordSignature(WriteContext& ctx, const std::string& hash,
                       const std::vector<std::string>& affected,
                       const std::vector<DocSignature>& existing, const VerifiedSigner& signer,
                       DocSignature* out, bool* complete);

}  // namespace vt::app
