// RevocationService: CRLs (RFC 5280 §5), one per issuing CA, cached until the
// revoked set changes or half of the validity has passed (revocation.h).
#include <algorithm>

#include "app/identity/ca_keys.h"
#include "app/identity/revocation.h"
#include "app/identity/revocation_internal.h"
#include "base/rng.h"
#include "store/identity/identity_repo.h"

namespace vt::app {
namespace {

struct RevokedSet {
  std::vector<x509::RevokedCert> certs;
  std::string fingerprint;
};

StatusOr<RevokedSet> ReadRevoked(Service& svc, const std::string& ca_id) {
  return svc.Read<RevokedSet>([&](store::Conn& c) -> StatusOr<RevokedSet> {
    VT_ASSIGN_OR_RETURN(auto rows, store::NewSqlIdentityRepo(c)->ListRevoked(
                                       ca_id, store::RevokedOrder::kBySerial));
    RevokedSet out;
    std::string latest;
    for (const auto& r : rows) {
      x509::RevokedCert rc;
      rc.serial_hex = r.serial;
      std::string at = r.revoked_at.value_or("");
      if (!ParseRfc3339(at, &rc.revocation_time))
        return InternalError("certificate " + rc.serial_hex +
                             " is revoked without a valid "
                             "revoked_at");
      auto reason = x509::ParseCrlReason(r.revocation_reason.value_or("unspecified"));
      // removeFromCRL belongs to delta CRLs only; never stored by vtrust.
      if (reason.ok() && *reason != x509::CrlReason::kRemoveFromCrl) rc.reason = *reason;
      latest = std::max(latest, at);
      out.certs.push_back(std::move(rc));
    }
    out.fingerprint = std::to_string(out.certs.size()) + "/" + latest;
    return out;
  });
}

int64_t LogSize(Service& svc) {
  auto cp =
      svc.Read<LogCheckpoint>([](store::Conn& c) { return TransparencyLog::LoadCheckpoint(c); });
  return cp.ok() ? cp->size : -1;
}

}  // namespace

std::string internal::StatusFingerprint(const x509::OcspCertStatus& s) {
  switch (s.state) {
    case x509::OcspCertState::kGood:
      return "good";
    case x509::OcspCertState::kUnknown:
      return "unknown";
    case x509::OcspCertState::kRevoked:
      break;
  }
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.revocation_time.time_since_epoch());
  return "revoked/" + std::to_string(ms.count()) + "/" + std::to_string(static_cast<int>(s.reason));
}

StatusOr<RevocationBytes> RevocationService::Crl(const std::string& alg) {
  VT_ASSIGN_OR_RETURN(auto issuer, GetIssuer(alg));
  Issuer& is = *issuer;
  std::lock_guard lock(is.crl_mu);
  TimePoint now = svc_.clock().Now();
  bool fresh = is.crl && now < is.crl->this_update + options_.crl_validity / 2;
  // Every revocation is a log entry committed with the status change: while the
  // log has not grown, the revoked set has not changed.
  int64_t log_size = LogSize(svc_);
  if (fresh && log_size >= 0 && log_size == is.crl_log_size) return *is.crl;
  VT_ASSIGN_OR_RETURN(RevokedSet revoked, ReadRevoked(svc_, alg + "-issuing"));
  is.crl_log_size = log_size;
  if (fresh && revoked.fingerprint == is.crl_fingerprint) return *is.crl;
  if (!is.ca) {
    VT_ASSIGN_OR_RETURN(auto signer, OpenKeyRef(svc_.config(), is.issuing_key_ref));
    VT_ASSIGN_OR_RETURN(auto ca,
                        x509::Ca::Create(is.issuing_der, signer, {}, svc_.clock(), svc_.rng()));
    is.ca.emplace(std::move(ca));
  }
  x509::CrlRequest request;
  request.revoked = std::move(revoked.certs);
  request.validity = options_.crl_validity;
  {
    std::lock_guard numbers(mu_);
    uint64_t ms = static_cast<uint64_t>(svc_.clock().NowUnixMillis());
    last_crl_number_ = std::max(last_crl_number_ + 1, ms);
    request.crl_number = last_crl_number_;
  }
  VT_ASSIGN_OR_RETURN(std::string der, is.ca->SignCrl(request));
  // Read back what was signed (and check the signature once more).
  VT_ASSIGN_OR_RETURN(x509::CrlInfo info, x509::VerifyCrl(der, is.issuing_der));
  crl_signs_.fetch_add(1, std::memory_order_relaxed);
  is.crl = RevocationBytes{std::move(der), info.this_update, info.next_update, true};
  is.crl_fingerprint = revoked.fingerprint;
  return *is.crl;
}

}  // namespace vt::app
