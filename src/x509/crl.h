// RFC 5280 §5 CRLs (v2) with reason codes, crlNumber and AKI, signed through
// the CA's crypto::Signer (Ca::SignCrl in ca.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace vt::x509 {

// RFC 5280 §5.3.1 CRLReason (value 7 is unused).
enum class CrlReason {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kCaCompromise = 2,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
  kCertificateHold = 6,
  kRemoveFromCrl = 8,
  kPrivilegeWithdrawn = 9,
  kAaCompromise = 10,
};

// The ASN.1 names: "unspecified", "keyCompromise", "cACompromise",
// "affiliationChanged", "superseded", "cessationOfOperation",
// "certificateHold", "removeFromCRL", "privilegeWithdrawn", "aACompromise".
std::string_view CrlReasonName(CrlReason reason);
// Accepts those names, ignoring case. InvalidArgument (field "reason") otherwise.
StatusOr<CrlReason> ParseCrlReason(std::string_view name);
// The reason with RFC 5280 code `code`; InvalidArgument for 7 and out of range.
StatusOr<CrlReason> CrlReasonFromCode(int code);

struct RevokedCert {
  std::string serial_hex;  // as IssuedCert::serial_hex
  TimePoint revocation_time;
  CrlReason reason = CrlReason::kUnspecified;
};

struct CrlRequest {
  std::vector<RevokedCert> revoked;
  // Monotonically increasing per issuer (RFC 5280 §5.2.3); the caller keeps it.
  uint64_t crl_number = 0;
  // thisUpdate = the CA clock's now; nextUpdate = thisUpdate + validity.
  std::chrono::seconds validity{std::chrono::hours(24)};
};

// What a verified CRL says.
struct CrlInfo {
  uint64_t crl_number = 0;
  TimePoint this_update;
  TimePoint next_update;
  std::vector<RevokedCert> revoked;
};

// Parses a DER CRL and verifies its signature with the issuer certificate
// (DER or PEM; SM2 with the vtrust distinguishing ID). InvalidArgument if it
// does not parse or does not verify, or the issuer name differs.
StatusOr<CrlInfo> VerifyCrl(std::string_view crl_der, std::string_view issuer_cert);

}  // namespace vt::x509
