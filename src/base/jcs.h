// Canonical JSON: RFC 8785 (JSON Canonicalization Scheme).
//
// Everything vtrust hashes or signs (log entries, agreements, statements) is
// serialized with Canonicalize(), so that the same document always gives the
// same bytes, in any implementation that follows RFC 8785.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace vt {

using Json = nlohmann::json;

// RFC 8785 serialization: no whitespace, object members sorted by their names'
// UTF-16 code units (§3.2.3), strings escaped minimally (§3.2.2.2), numbers in
// ECMAScript Number.prototype.toString form (§3.2.2.3). Fails on NaN/Infinity
// and on strings that are not valid UTF-8.
StatusOr<std::string> Canonicalize(const Json& value);

// Parses JSON text strictly (no comments, no trailing commas, valid UTF-8) and
// rejects duplicate member names (RFC 8785 §3.1 requires unique names).
StatusOr<Json> ParseJsonStrict(std::string_view text);

}  // namespace vt
