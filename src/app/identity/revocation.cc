// RevocationService: CA material loading and the OCSP responder with its
// pre-signed cache (policy in revocation.h). CRLs are in revocation_crl.cc.
#include "app/identity/revocation.h"

#include <unordered_map>

#include "app/identity/ca_keys.h"
#include "app/identity/revocation_internal.h"
#include "base/rng.h"
#include "store/identity/identity_repo.h"

namespace vt::app {
namespace {

using x509::OcspCertState;
using x509::OcspCertStatus;
using x509::OcspResponder;
using x509::OcspResponseStatus;

TimePoint FloorSeconds(TimePoint t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

// The issuing and OCSP-signing certificates of one algorithm, as stored.
struct CaRows {
  std::string issuing_der, ocsp_der, ocsp_key_ref, issuing_key_ref;
};

StatusOr<CaRows> ReadCaRows(Service& svc, const std::string& alg) {
  return svc.Read<CaRows>([&](store::Conn& c) -> StatusOr<CaRows> {
    VT_ASSIGN_OR_RETURN(auto rows,
                        store::NewSqlIdentityRepo(c)->FindCas({alg + "-issuing", alg + "-ocsp"}));
    CaRows out;
    for (const auto& r : rows) {
      if (r.id == alg + "-issuing") {
        out.issuing_der = r.cert_der;
        out.issuing_key_ref = r.key_ref;
      } else {
        out.ocsp_der = r.cert_der;
        out.ocsp_key_ref = r.key_ref;
      }
    }
    if (out.issuing_der.empty() || out.ocsp_der.empty())
      return NotFoundError("the " + alg + " CA is not initialized (vtrust ca init)");
    return out;
  });
}

OcspResponseStatus ErrorStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kNotFound:
    case StatusCode::kInvalidArgument:
    case StatusCode::kPermissionDenied:
      return OcspResponseStatus::kUnauthorized;
    case StatusCode::kUnavailable:
    case StatusCode::kAborted:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kResourceExhausted:
      return OcspResponseStatus::kTryLater;
    default:
      return OcspResponseStatus::kInternalError;
  }
}

RevocationBytes ErrorBytes(OcspResponseStatus s) {
  RevocationBytes b;
  b.der = OcspResponder::ErrorResponse(s);
  b.cacheable = false;
  return b;
}

}  // namespace

bool IsRevocationAlg(std::string_view alg) {
  if (alg == "p256" || alg == "ed25519" || alg == "sm2") return true;
  // "<alg>-<8 hex>": an issuing CA made by `vtrust ca rotate-issuing`.
  size_t dash = alg.find('-');
  if (dash == std::string_view::npos || alg.size() != dash + 9) return false;
  for (char c : alg.substr(dash + 1))
    if (!(('0' <= c && c <= '9') || ('a' <= c && c <= 'f'))) return false;
  return IsRevocationAlg(alg.substr(0, dash));
}

StatusOr<OcspCertStatus> internal::LookupCertStatus(Service& svc, const std::string& ca_id,
                                                    const std::string& serial_hex) {
  return svc.Read<OcspCertStatus>([&](store::Conn& c) -> StatusOr<OcspCertStatus> {
    VT_ASSIGN_OR_RETURN(auto row, store::NewSqlIdentityRepo(c)->FindSerialState(ca_id, serial_hex));
    OcspCertStatus s;  // unknown: never issued by this CA
    // A reserved serial (stored before signing, no certificate yet) was not
    // issued: unknown too.
    if (!row || row->reserved) return s;
    if (row->status != store::CertStatus::kRevoked) {
      s.state = OcspCertState::kGood;
      return s;
    }
    s.state = OcspCertState::kRevoked;
    s.revocation_time = TimePoint{};
    if (const auto& at = row->revoked_at; !at || !ParseRfc3339(*at, &s.revocation_time))
      return InternalError("certificate " + serial_hex + " is revoked without a valid revoked_at");
    if (const auto& reason = row->revocation_reason) {
      auto parsed = x509::ParseCrlReason(*reason);
      if (parsed.ok()) s.reason = *parsed;
    }
    return s;
  });
}

RevocationService::RevocationService(Service& svc, RevocationOptions options)
    : svc_(svc), options_(options) {}

RevocationService::~RevocationService() = default;

StatusOr<std::shared_ptr<RevocationService::Issuer>> RevocationService::LoadIssuer(
    const std::string& alg) {
  // Concurrent first requests wait for one load instead of each unsealing the key.
  std::lock_guard load(load_mu_);
  {
    std::lock_guard lock(mu_);
    auto it = issuers_.find(alg);
    if (it != issuers_.end() && svc_.clock().Now() - it->second->loaded_at < options_.ca_reload)
      return it->second;  // loaded meanwhile
  }
  VT_ASSIGN_OR_RETURN(CaRows rows, ReadCaRows(svc_, alg));
  {
    std::lock_guard lock(mu_);
    auto it = issuers_.find(alg);
    if (it != issuers_.end() && it->second->issuing_der == rows.issuing_der &&
        it->second->ocsp_der == rows.ocsp_der) {
      it->second->loaded_at = svc_.clock().Now();  // unchanged: keep its caches
      return it->second;
    }
  }
  VT_ASSIGN_OR_RETURN(auto signer, OpenKeyRef(svc_.config(), rows.ocsp_key_ref));
  VT_ASSIGN_OR_RETURN(auto responder,
                      OcspResponder::Create({{rows.issuing_der, rows.ocsp_der, signer}},
                                            svc_.clock(), options_.ocsp_validity));
  auto issuer = std::make_shared<Issuer>();
  issuer->alg = alg;
  issuer->issuing_der = rows.issuing_der;
  issuer->issuing_key_ref = rows.issuing_key_ref;
  issuer->ocsp_der = rows.ocsp_der;
  issuer->responder.emplace(std::move(responder));
  issuer->loaded_at = svc_.clock().Now();
  std::lock_guard lock(mu_);
  issuers_[alg] = issuer;
  return issuer;
}

StatusOr<std::shared_ptr<RevocationService::Issuer>> RevocationService::GetIssuer(
    const std::string& alg) {
  if (!IsRevocationAlg(alg)) return NotFoundError("no CA for algorithm '" + alg + "'");
  {
    std::lock_guard lock(mu_);
    auto it = issuers_.find(alg);
    if (it != issuers_.end() && svc_.clock().Now() - it->second->loaded_at < options_.ca_reload)
      return it->second;
  }
  return LoadIssuer(alg);
}

StatusOr<std::string> RevocationService::CaCertificate(const std::string& ca_id) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    auto ca = store::NewSqlIdentityRepo(c)->GetCa(ca_id);
    if (!ca.ok() && ca.status().code() == StatusCode::kNotFound)
      return NotFoundError("no CA certificate '" + ca_id + "'");
    VT_RETURN_IF_ERROR(ca.status());
    return ca->cert_der;
  });
}

RevocationBytes RevocationService::Ocsp(const std::string& alg, std::string_view request_der) {
  auto issuer = GetIssuer(alg);
  if (!issuer.ok()) return ErrorBytes(ErrorStatusFor(issuer.status()));
  Issuer& is = **issuer;
  const OcspResponder& responder = *is.responder;
  const std::string ca_id = alg + "-issuing";
  auto lookup = [&](size_t, const std::string& serial) {
    return internal::LookupCertStatus(svc_, ca_id, serial);
  };
  auto info = responder.ParseRequest(request_der);
  bool single = info.ok() && info->items.size() == 1 && !info->has_nonce &&
                !info->items[0].serial_hex.empty();
  TimePoint now = FloorSeconds(svc_.clock().Now());
  if (!single) {
    // Errors, nonces and several CertIDs: the core answers and signs now.
    RevocationBytes b;
    b.der = responder.Respond(request_der, lookup);
    b.this_update = now;
    b.next_update = now + options_.ocsp_validity;
    b.cacheable = info.ok() && !info->has_nonce;
    if (info.ok()) fresh_signs_.fetch_add(1, std::memory_order_relaxed);
    return b;
  }
  const auto& item = info->items[0];
  auto status = lookup(0, item.serial_hex);
  if (!status.ok()) return ErrorBytes(ErrorStatusFor(status.status()));
  std::string key = item.serial_hex + (item.hash == x509::OcspHash::kSha1 ? "/1" : "/256");
  std::string fingerprint = internal::StatusFingerprint(*status);
  {
    std::lock_guard lock(is.cache_mu);
    auto it = is.cache.find(key);
    if (it != is.cache.end() && it->second.fingerprint == fingerprint &&
        now < it->second.refresh_at) {
      cache_hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second.bytes;
    }
  }
  TimePoint next = now + options_.ocsp_validity;
  auto der = responder.SignSingleResponse(0, item.serial_hex, *status, now, next, item.hash);
  if (!der.ok()) return ErrorBytes(ErrorStatusFor(der.status()));
  cache_signs_.fetch_add(1, std::memory_order_relaxed);
  internal::CachedOcsp entry{fingerprint, now + options_.ocsp_validity / 2,
                             RevocationBytes{std::move(*der), now, next, true}};
  std::lock_guard lock(is.cache_mu);
  if (is.cache.size() >= options_.max_cached_responses) is.cache.clear();
  auto& slot = is.cache[key];
  slot = std::move(entry);
  return slot.bytes;
}

void RevocationService::Invalidate() {
  std::lock_guard lock(mu_);
  issuers_.clear();
}

OcspCounters RevocationService::counters() const {
  return {cache_hits_.load(), cache_signs_.load(), fresh_signs_.load(), crl_signs_.load()};
}

}  // namespace vt::app
