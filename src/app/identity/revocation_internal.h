// Internal to RevocationService (revocation.cc, revocation_crl.cc).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "app/identity/revocation.h"

namespace vt::app {
namespace internal {

// A pre-signed OCSP response and the status it was signed for.
struct CachedOcsp {
  std::string fingerprint;  // StatusFingerprint of the status it states
  TimePoint refresh_at;     // re-sign from then on (half the validity)
  RevocationBytes bytes;
};

// The status of `serial_hex` among the certificates of CA `ca_id`, read from
// the certificates table: unknown if absent or reserved (no certificate yet).
StatusOr<x509::OcspCertStatus> LookupCertStatus(Service& svc, const std::string& ca_id,
                                                const std::string& serial_hex);

// "good", "unknown", or "revoked/<unix ms>/<reason code>".
std::string StatusFingerprint(const x509::OcspCertStatus& s);

}  // namespace internal

struct RevocationService::Issuer {
  std::string alg;
  std::string issuing_der, issuing_key_ref, ocsp_der;
  std::optional<x509::OcspResponder> responder;
  TimePoint loaded_at;

  std::mutex cache_mu;
  std::unordered_map<std::string, internal::CachedOcsp> cache;  // "<serial>/<1|256>"

  std::mutex crl_mu;           // serializes CRL (re)generation; guards the fields below
  std::optional<x509::Ca> ca;  // the issuing CA with its key, opened for the first CRL
  std::optional<RevocationBytes> crl;
  int64_t crl_log_size = -1;    // log size when the revoked set was last read
  std::string crl_fingerprint;  // count and latest revoked_at of that set
};

}  // namespace vt::app
