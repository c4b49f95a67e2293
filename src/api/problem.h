// Errors on the wire: RFC 9457 problem documents (application/problem+json).
//
// Every non-OK Status becomes {"type": "urn:vtrust:problem:<code>", "title",
// "status", "detail", "field"?, ...details}. The type is stable (clients switch on
// it); the detail is for people. Internal errors never leak their message.
#pragma once

#include <string>

#include "base/jcs.h"
#include "base/status.h"

namespace vt::api {

// HTTP status for a Status code (absl's canonical mapping).
int HttpStatusFor(StatusCode code);

// The problem document for `s` (precondition: !s.ok()).
Json ProblemFor(const Status& s);

inline constexpr const char* kProblemContentType = "application/problem+json";

}  // namespace vt::api
