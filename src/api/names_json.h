// Review flags of names in API responses (docs/api.md "Names").
#pragma once

#include <string>
#include <vector>

#include "base/jcs.h"

namespace vt::api {

// `body` with "name_review": "mixed_script" if any of `names` mixes scripts beyond
// Unicode TR 39's Highly Restrictive level (domain/names.h): such names are
// accepted and flagged for review, not refused.
Json WithNameReview(Json body, const std::vector<std::string>& names);

}  // namespace vt::api
