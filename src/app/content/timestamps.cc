// RFC 3161 requester and the operator's TSA (timestamps.h).
#include "app/content/timestamps.h"

#include "app/identity/ca_keys.h"
#include "app/identity/pki.h"
#include "net/http_client.h"
#include "store/content/content_repo.h"

namespace vt::app {

StatusOr<std::string> FetchTimestamp(const std::string& tsa_url, std::string_view message,
                                     Rng& rng) {
  VT_ASSIGN_OR_RETURN(std::string request, x509::BuildTimeStampRequest(message, rng));
  VT_ASSIGN_OR_RETURN(auto base, net::SplitBaseUrl(tsa_url));
  net::HttpClientOptions options;
  options.connect_timeout = std::chrono::seconds(10);
  options.read_timeout = std::chrono::seconds(30);
  VT_ASSIGN_OR_RETURN(auto client, net::NewHttpClient(base.first, options));
  VT_ASSIGN_OR_RETURN(net::HttpResponse reply, client->Post(base.second.empty() ? "/" : base.second,
                                                            request, kTimestampQueryType));
  std::string type = reply.Header("Content-Type");
  if (reply.status != 200 || type.rfind(kTimestampReplyType, 0) != 0) {
    return UnavailableError("TSA " + tsa_url + " answered HTTP " + std::to_string(reply.status) +
                            " (" + type + ")");
  }
  return x509::TokenFromResponse(reply.body, request);
}

StatusOr<x509::TimeStampAuthority> OpenTimeStampAuthority(Service& svc, Pki& pki,
                                                          const Principal& p) {
  // Renewed 30 days before it expires, so that tokens never come from a
  // certificate about to lapse.
  std::string horizon = FormatRfc3339(svc.clock().Now() + std::chrono::hours(24 * 30));
  auto find = [&] {
    return svc.Read<std::optional<store::ClaimSignerRow>>(
        [&](store::Conn& c) { return store::NewSqlContentRepo(c)->FindTsaSigner(horizon); });
  };
  VT_ASSIGN_OR_RETURN(auto row, find());
  if (!row) {
    VT_RETURN_IF_ERROR(pki.IssueTsaCertificate(p).status());
    VT_ASSIGN_OR_RETURN(row, find());
    if (!row) return InternalError("the new TSA certificate is not visible");
  }
  VT_ASSIGN_OR_RETURN(crypto::PrivateKey key, OpenSoftwareKey(svc.config(), row->key_ref));
  VT_ASSIGN_OR_RETURN(x509::Ca issuing, pki.IssuingCa(crypto::KeyAlg::kP256));
  return x509::TimeStampAuthority::Create(std::move(key), row->cert_der,
                                          {issuing.certificate_der()}, svc.clock(), svc.rng());
}

}  // namespace vt::app
