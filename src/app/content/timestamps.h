// RFC 3161 timestamps for content credentials (docs/c2pa.md, "Timestamps"):
// the requester side that content signing uses for sigTst2, and the
// operator's own time-stamping authority that `vtrust tsa serve` answers with.
#pragma once

#include <string>
#include <string_view>

#include "app/access/service.h"
#include "base/rng.h"
#include "x509/timestamp.h"

namespace vt::app {

class Pki;

// RFC 3161 §3.4: the media types of a request and a reply over HTTP.
inline constexpr const char* kTimestampQueryType = "application/timestamp-query";
inline constexpr const char* kTimestampReplyType = "application/timestamp-reply";

// Asks the TSA at `tsa_url` (POSTed as is) for a token over SHA-256(`message`)
// and returns the DER TimeStampToken, checked to answer this request (imprint
// and nonce); the token's signature and chain are the verifier's business.
// Unavailable if the TSA cannot be reached or answers other than 200 with
// application/timestamp-reply; FailedPrecondition if it refuses the request.
StatusOr<std::string> FetchTimestamp(const std::string& tsa_url, std::string_view message,
                                     Rng& rng);

// The operator's time-stamping authority: the newest good TSA certificate with
// its sealed key, or, when there is none (or it expires within 30 days), a
// new one issued now (Pki::IssueTsaCertificate; `p` must be an operator
// admin). The chain in tokens is the P-256 issuing CA. `clock` and `rng` must
// outlive the result.
StatusOr<x509::TimeStampAuthority> OpenTimeStampAuthority(Service& svc, Pki& pki,
                                                          const Principal& p);

}  // namespace vt::app
