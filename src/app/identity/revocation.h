// Revocation status served from one state, the certificates table (migration 5;
// docs/id-card-profile.md): a signed CRL per issuing CA and an RFC 6960 OCSP responder
// per algorithm, signed by the delegated OCSP-signing certificate ("<alg>-ocsp"
// in the cas table). The HTTP routes are in api/routes_pki.cc.
//
// CA material (certificates and keys, opened with OpenKeyRef) is loaded on first
// use and re-read every `ca_reload` (so `vtrust ca init` or a renewed OCSP
// certificate is picked up by a running server).
//
// OCSP caching policy (docs/api.md, "Revocation"):
//  - Every request reads the serial's status from the database (one primary-key
//    lookup). A cached response is served only if it was signed for exactly that
//    status, so a revoked serial is never answered "good" from the cache once the
//    revocation has committed, whichever process committed it.
//  - Requests with ONE CertID and NO nonce get a pre-signed response, cached per
//    (serial, CertID hash) and re-signed once half of its validity has passed (or
//    the status changed). thisUpdate..nextUpdate = `ocsp_validity`.
//  - Requests with a nonce (RFC 8954: the nonce is echoed, so the signature is
//    fresh) or several CertIDs are signed per request.
//  - Garbage gives malformedRequest, CertIDs of another issuer unauthorized.
//
// CRLs: one per issuing CA, cached, regenerated when the CA's set of revoked
// certificates changes (checked when the log has grown since the last check:
// every revocation is a log entry) or when less than half of `crl_validity`
// remains. The CRL number is the signing time in Unix milliseconds, forced above
// the previous number this process signed (monotonic across restarts as long as
// the clock does not step back; no table is needed for it).
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "app/access/service.h"
#include "base/clock.h"
#include "base/status.h"
#include "x509/ca.h"
#include "x509/ocsp.h"

namespace vt::app {

struct RevocationOptions {
  std::chrono::seconds crl_validity{std::chrono::hours(24)};  // nextUpdate - thisUpdate
  std::chrono::seconds ocsp_validity{std::chrono::hours(1)};  // likewise for OCSP
  std::chrono::seconds ca_reload{std::chrono::seconds(10)};   // re-read cas this often
  size_t max_cached_responses = 100000;  // OCSP cache bound (cleared when full)
};

// A DER response and how long HTTP caches may keep it (RFC 5019 §6.2).
struct RevocationBytes {
  std::string der;
  TimePoint this_update;
  TimePoint next_update;
  bool cacheable = true;  // false for nonce responses (no-store)
};

// How often each path ran (tests, benchmarks).
struct OcspCounters {
  uint64_t cache_hits = 0;
  uint64_t cache_signs = 0;  // pre-signed responses (re)created
  uint64_t fresh_signs = 0;  // per-request signatures (nonce, several CertIDs)
  uint64_t crl_signs = 0;
};

// The responder names of the URLs: "p256", "ed25519", "sm2" (the issuing CAs of
// `ca init`) and "<alg>-<8 hex>" (one made by `vtrust ca rotate-issuing`); the
// responder N serves CA rows "N-issuing" and "N-ocsp".
bool IsRevocationAlg(std::string_view alg);

class RevocationService {
 public:
  // `svc` must outlive this object.
  explicit RevocationService(Service& svc, RevocationOptions options = {});
  ~RevocationService();

  // The DER certificate of CA `ca_id` ("<alg>-root", "<alg>-issuing",
  // "<alg>-ocsp"). NotFound if there is none (CA not initialized).
  StatusOr<std::string> CaCertificate(const std::string& ca_id);

  // The current CRL of the issuing CA of `alg`, DER. NotFound for an unknown
  // alg or an uninitialized CA; the key's errors (Unavailable, ...) otherwise.
  StatusOr<RevocationBytes> Crl(const std::string& alg);

  // A complete DER OCSPResponse for `request_der` sent to the responder of
  // `alg` (RFC 6960; policy above). Errors become OCSP error responses
  // (malformedRequest, unauthorized, internalError, tryLater), never a Status;
  // an unknown alg or uninitialized CA answers unauthorized.
  RevocationBytes Ocsp(const std::string& alg, std::string_view request_der);

  // Drops every cached CRL and OCSP response (and CA material): the next
  // request signs again. Never needed for correctness (see above).
  void Invalidate();

  OcspCounters counters() const;

  struct Issuer;  // implementation detail: one alg's CA material and caches

 private:
  StatusOr<std::shared_ptr<Issuer>> GetIssuer(const std::string& alg);
  StatusOr<std::shared_ptr<Issuer>> LoadIssuer(const std::string& alg);

  Service& svc_;
  RevocationOptions options_;
  std::mutex load_mu_;  // one LoadIssuer at a time (opening a sealed key is slow)
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Issuer>> issuers_;  // by alg; guarded by mu_
  uint64_t last_crl_number_ = 0;                            // guarded by mu_
  std::atomic<uint64_t> cache_hits_{0}, cache_signs_{0}, fresh_signs_{0}, crl_signs_{0};
};

}  // namespace vt::app
