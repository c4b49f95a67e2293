// Public revocation and CA resources (docs/id-card-profile.md), at the URLs written into
// every certificate's CRL DP and AIA:
//   GET  /pki/crl/<alg>.crl                 CRL, DER (application/pkix-crl)
//   GET  /pki/ca/<alg>-{root,issuing,ocsp}.der  CA certificate (application/pkix-cert)
//   POST /pki/ocsp/<alg>                    OCSP, DER request body (RFC 6960 App. A.1)
//   GET  /pki/ocsp/<alg>/<base64 request>   OCSP, URL-escaped base64 request (App. A.1)
// No token. HTTP caching follows RFC 5019 §6.2. Policy: app/identity/revocation.h.
#include <ctime>

#include "api/routes.h"
#include "app/access/service.h"
#include "app/identity/revocation.h"
#include "base/encoding.h"
#include "crypto/digest.h"

namespace vt::api {
namespace {

using app::RevocationBytes;
using app::RevocationService;

// IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// A DER body with RFC 5019 §6.2 caching headers: max-age up to nextUpdate,
// Last-Modified = thisUpdate, Expires = nextUpdate, and a strong ETag.
Response Der(const RevocationBytes& b, const std::string& content_type, const Clock& clock) {
  Response r = Response::Text(200, b.der, content_type);
  if (!b.cacheable) {
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }
  auto left = std::chrono::duration_cast<std::chrono::seconds>(b.next_update - clock.Now());
  r.headers.emplace_back("Cache-Control",
                         "max-age=" + std::to_string(std::max<int64_t>(0, left.count())) +
                             ", public, no-transform, must-revalidate");
  r.headers.emplace_back("Last-Modified", HttpDate(b.this_update));
  r.headers.emplace_back("Expires", HttpDate(b.next_update));
  r.headers.emplace_back("ETag", "\"" + HexEncode(crypto::Sha256(b.der)).substr(0, 32) + "\"");
  return r;
}

// "<alg><suffix>" -> alg, or NotFound.
StatusOr<std::string> AlgOf(const std::string& file, const std::string& suffix) {
  if (file.size() > suffix.size() && file.ends_with(suffix)) {
    std::string alg = file.substr(0, file.size() - suffix.size());
    if (app::IsRevocationAlg(alg)) return alg;
  }
  return NotFoundError("no such PKI resource: " + file);
}

void AddCaRoutes(Router& r, app::Service& svc, RevocationService* rev) {
  r.Add({.method = "GET",
         .path = "/pki/crl/{file}",
         .operation_id = "pkiCrl",
         .summary = "The CRL of an issuing CA, DER (file: p256.crl, ed25519.crl, sm2.crl)",
         .tag = "pki",
         .access = Access::kPublic,
         .handler = [rev, &svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(std::string alg, AlgOf(req.params.at("file"), ".crl"));
           VT_ASSIGN_OR_RETURN(RevocationBytes crl, rev->Crl(alg));
           return Der(crl, "application/pkix-crl", svc.clock());
         }});
  r.Add({.method = "GET",
         .path = "/pki/ca/{file}",
         .operation_id = "pkiCaCertificate",
         .summary = "A CA certificate, DER (file: <alg>-root.der, <alg>-issuing.der, "
                    "<alg>-ocsp.der)",
         .tag = "pki",
         .access = Access::kPublic,
         .handler = [rev](const Request& req) -> StatusOr<Response> {
           const std::string& file = req.params.at("file");
           for (std::string kind : {"-root.der", "-issuing.der", "-ocsp.der"}) {
             if (!AlgOf(file, kind).ok()) continue;
             std::string id = file.substr(0, file.size() - 4);  // "<alg>-<kind>"
             VT_ASSIGN_OR_RETURN(std::string der, rev->CaCertificate(id));
             Response res = Response::Text(200, std::move(der), "application/pkix-cert");
             res.headers.emplace_back("Cache-Control", "public, max-age=3600");
             return res;
           }
           return NotFoundError("no such CA certificate: " + file);
         }});
}

void AddOcspRoutes(Router& r, app::Service& svc, RevocationService* rev) {
  r.Add({.method = "POST",
         .path = "/pki/ocsp/{alg}",
         .operation_id = "pkiOcsp",
         .summary = "OCSP responder (RFC 6960): DER OCSPRequest body, DER OCSPResponse",
         .tag = "pki",
         .access = Access::kPublic,
         .safe = true,
         .raw_body_type = "application/ocsp-request",
         .handler = [rev, &svc](const Request& req) -> StatusOr<Response> {
           if (!app::IsRevocationAlg(req.params.at("alg")))
             return NotFoundError("no OCSP responder for '" + req.params.at("alg") + "'");
           return Der(rev->Ocsp(req.params.at("alg"), req.raw_body), "application/ocsp-response",
                      svc.clock());
         }});
  r.Add({.method = "GET",
         .path = "/pki/ocsp/{alg}/{request*}",
         .operation_id = "pkiOcspGet",
         .summary = "OCSP responder, GET form: the URL-escaped base64 of the DER request",
         .tag = "pki",
         .access = Access::kPublic,
         .handler = [rev, &svc](const Request& req) -> StatusOr<Response> {
           const std::string& alg = req.params.at("alg");
           if (!app::IsRevocationAlg(alg))
             return NotFoundError("no OCSP responder for '" + alg + "'");
           // The server has already %-decoded the path (a '/' of the base64
           // may arrive as %2F or raw: {request*} takes the rest either way).
           auto der = Base64Decode(req.params.at("request"));
           if (!der.ok()) der = Base64UrlDecode(req.params.at("request"));
           std::string request = der.ok() ? *der : std::string("\x00", 1);  // malformed
           return Der(rev->Ocsp(alg, request), "application/ocsp-response", svc.clock());
         }});
}

}  // namespace

void AddPkiRoutes(Router& r, app::Service& svc, RevocationService& revocation) {
  RevocationService* rev = &revocation;
  AddCaRoutes(r, svc, rev);
  AddOcspRoutes(r, svc, rev);
  r.metrics().AddGauge("vtrust_ocsp_cache_hits_total", "OCSP responses served pre-signed.",
                       "counter", [rev] { return double(rev->counters().cache_hits); });
  r.metrics().AddGauge("vtrust_ocsp_signatures_total",
                       "OCSP responses signed (pre-signed for the cache and per request).",
                       "counter", [rev] {
                         auto c = rev->counters();
                         return double(c.cache_signs + c.fresh_signs);
                       });
  r.metrics().AddGauge("vtrust_crl_signatures_total", "CRLs signed.", "counter",
                       [rev] { return double(rev->counters().crl_signs); });
}

}  // namespace vt::api
