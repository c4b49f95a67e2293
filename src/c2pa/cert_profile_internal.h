// Internal to the c2pa module: the certificate facts that C2PA 2.2 §14.5.1
// (claim signers) and CAWG identity 1.1 §8.2.2 (X.509 identity credentials)
// judge, read with OpenSSL (kept in cert_profile.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace vt::c2pa::internal {

inline constexpr std::string_view kEkuC2paClaimSigning = "1.3.6.1.4.1.62558.2.1";
inline constexpr std::string_view kEkuEmailProtection = "1.3.6.1.5.5.7.3.4";
inline constexpr std::string_view kEkuDocumentSigning = "1.3.6.1.5.5.7.3.36";
inline constexpr std::string_view kEkuMsC2pa = "1.3.6.1.4.1.311.76.59.1.9";
inline constexpr std::string_view kEkuAny = "2.5.29.37.0";

struct CertFacts {
  bool is_ca = false;
  bool has_key_usage = false;
  bool digital_signature = false;
  std::vector<std::string> ekus;  // dotted OIDs
  std::string subject;            // "CN=..., O=..."
  std::string spki_der;           // SubjectPublicKeyInfo
  TimePoint not_before;
  TimePoint not_after;
};

// InvalidArgument if `der` is not a certificate.
StatusOr<CertFacts> ReadCertFacts(std::string_view der);

// "" if the end-entity profile holds (digitalSignature, not a CA, an EKU from
// `accepted` and no anyExtendedKeyUsage); otherwise the reason.
std::string ProfileProblem(const CertFacts& f, const std::vector<std::string_view>& accepted);

}  // namespace vt::c2pa::internal
