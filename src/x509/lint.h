// Certificate linting (RFC 5280 + vtrust profiles, docs/id-card-profile.md). Every
// certificate vtrust issues is linted before the real signature: the CA signs
// a throwaway copy with a throwaway key, lints it with LintCertificate, and
// refuses on any finding (Boulder's "lint certificate" scheme, see ca.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "x509/profile.h"

namespace vt::x509 {

struct LintInput {
  ProfileId profile = ProfileId::kIdCard;
  // DER of the issuing certificate; empty for a self-signed root (the
  // certificate is then checked as its own issuer).
  std::string issuer_der;
};

// Returns the findings, one human-readable line each ("ku: keyCertSign on a
// non-CA certificate"); empty means the certificate passes. Checks: v3,
// serial (positive, exactly 16 octets, 128-bit random with a nonzero first
// octet), validity order and the profile's maximum lifetime, UTCTime through
// 2049 and GeneralizedTime after, names, signature algorithm (matches the
// issuer key, no parameters, inner = outer), the subject key type, and each
// extension's presence, criticality and content per profile. Does not verify
// the signature (the lint copy carries a throwaway one). Thread-safe.
std::vector<std::string> LintCertificate(std::string_view cert_der, const LintInput& input);

// FailedPrecondition listing `findings` (one per line); OK if empty.
Status FindingsToStatus(const std::vector<std::string>& findings);

}  // namespace vt::x509
