// A small JSON Schema (2020-12 subset) validator for request bodies. The same
// schema objects are published in /openapi.json, so documentation and validation
// cannot drift. Supported keywords: type (object, array, string, integer, number,
// boolean), properties, required, additionalProperties (false only), items,
// minLength, maxLength, minimum, maximum, enum, minItems, maxItems.
#pragma once

#include "base/jcs.h"
#include "base/status.h"

namespace vt::api {

// OK if `value` satisfies `schema`; otherwise InvalidArgument naming the first
// offending field as a path ("members[2].role", or "" for the root).
Status ValidateSchema(const Json& schema, const Json& value);

// Schema builders for route tables.
Json ObjectSchema(Json properties, std::vector<std::string> required);
Json StringSchema(int min_len = 0, int max_len = 0, std::vector<std::string> enum_values = {});
Json IntegerSchema(std::optional<int64_t> min = {}, std::optional<int64_t> max = {});

}  // namespace vt::api
