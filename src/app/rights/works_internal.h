// The works registry's use cases over the rights repository, and the helpers its
// .cc files and the rights registry share. Not a public API.
#pragma once

#include <string>

#include "app/rights/rights_tx.h"
#include "app/rights/works.h"
#include "store/rights/rights_repo.h"

namespace vt::app {

// Rebuilds a work from its stored record. Internal error if the record is corrupt.
StatusOr<Work> WorkFromRow(const store::WorkRow& r);

// The work, if it exists and `p` may read it; NotFound otherwise (the same message
// either way).
StatusOr<Work> LoadVisibleWork(store::RightsReader& repo, const Principal& p,
                               const std::string& id);
// The work without visibility checks (signers may belong to other orgs). NotFound
// if it does not exist.
StatusOr<Work> LoadWork(store::RightsReader& repo, const std::string& id);

// Stores `w` (validated input, id, owner and creator set) and logs
// work.registered; sets w.created_at. AlreadyExists if its sha256 is claimed
// already, with details {"existing_work", "log_index"} of the first claim;
// InvalidArgument naming the field for a holder that is no organization or
// member. Nothing is written on failure.
Status RegisterWork(RightsTx& tx, const Principal& p, Work& w);

// Records the edge `e` (role validated) and logs work.derivation_added. NotFound
// for a work `p` may not read (field "used_work_id" for the used one);
// PermissionDenied if `p` may not write; AlreadyExists for an existing edge;
// FailedPrecondition naming the cycle the edge would close (details {"cycle"}).
Status AddWorkUse(RightsTx& tx, const Principal& p, const WorkEdge& e);

}  // namespace vt::app
