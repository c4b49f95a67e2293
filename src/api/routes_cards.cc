// The CA and ID cards (docs/id-card-profile.md): /v1/ca/roots, card issuance,
// renewal, revocation, status and downloads, member certificates. The CRL and
// OCSP endpoints live in routes_pki.cc.
#include <memory>

#include "api/routes.h"
#include "api/schema.h"
#include "app/identity/pki.h"
#include "x509/cert.h"

namespace vt::api {
namespace {

using app::Pki;

Json IssueSchema(bool alg_required) {
  return ObjectSchema({{"alg", StringSchema(1, 16, {"p256", "ed25519", "sm2"})},
                       {"csr", StringSchema(1, 16384)},
                       {"lifetime_days", {{"type", "integer"}, {"minimum", 0}, {"maximum", 825}}}},
                      alg_required ? std::vector<std::string>{"alg"} : std::vector<std::string>{});
}

Json StatusSchema() {
  return ObjectSchema({{"serial", StringSchema()},
                       {"status", StringSchema(0, 0, {"good", "revoked"})},
                       {"not_before", StringSchema()},
                       {"not_after", StringSchema()}},
                      {"serial", "status"});
}

Json IssuedSchema() {
  return ObjectSchema({{"serial", StringSchema()},
                       {"certificate", StringSchema()},
                       {"chain", StringSchema()},
                       {"receipt", {{"type", "object"}}}},
                      {"serial", "certificate", "chain"});
}

StatusOr<app::IssueRequest> IssueFromBody(const Json& body) {
  app::IssueRequest req;
  VT_ASSIGN_OR_RETURN(req.alg, app::ParseCardAlg(body.value("alg", "p256")));
  req.csr = body.value("csr", "");
  req.lifetime_days = body.value("lifetime_days", 0);
  return req;
}

Response Issued(const app::Written<app::IssuedCertificate>& w) {
  return Response::Json(201, WithReceipts(w.value.ToJson(), w.receipts));
}

void AddDownloads(Router& r, Pki* pki) {
  struct Download {
    const char* suffix;
    const char* op;
    const char* summary;
    const char* type;
  };
  for (const Download& d :
       {Download{"certificate.pem", "getCardPem", "The certificate (PEM)",
                 "application/x-pem-file"},
        Download{"certificate.der", "getCardDer", "The certificate (DER)", "application/pkix-cert"},
        Download{"chain.pem", "getCardChain",
                 "The full chain: the certificate then its issuing CA (PEM)",
                 "application/x-pem-file"}}) {
    std::string suffix = d.suffix;
    r.Add({.method = "GET",
           .path = "/v1/cards/{serial}/" + suffix,
           .operation_id = d.op,
           .summary = d.summary,
           .tag = "cards",
           .handler = [pki, suffix,
                       type = std::string(d.type)](const Request& req) -> StatusOr<Response> {
             VT_ASSIGN_OR_RETURN(auto c,
                                 pki->GetCertificate(*req.principal, req.params.at("serial")));
             if (suffix == "certificate.der") return Response::Text(200, c.cert_der, type);
             std::string body = x509::CertificateToPem(c.cert_der);
             if (suffix == "chain.pem") {
               VT_ASSIGN_OR_RETURN(auto ca, pki->GetCa(c.ca_id));
               body += x509::CertificateToPem(ca.cert_der);
             }
             return Response::Text(200, body, type);
           }});
  }
}

}  // namespace

void AddCardRoutes(Router& r, Pki& ca) {
  Pki* pki = &ca;
  r.Add({.method = "GET",
         .path = "/v1/ca/roots",
         .operation_id = "getCaRoots",
         .summary = "The root certificates, by algorithm (PEM)",
         .tag = "cards",
         .access = Access::kPublic,
         .handler = [pki](const Request&) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto roots, pki->RootsPem());
           Json j = Json::object();
           for (const auto& [alg, pem] : roots) j[alg] = pem;
           return Response::Json(200, j);
         }});
  r.Add({.method = "POST",
         .path = "/v1/characters/{id}/cards",
         .operation_id = "issueCard",
         .summary = "Issue an ID card (from a CSR, or with a custodial key)",
         .tag = "cards",
         .min_role = "member",
         .body_schema = IssueSchema(false),
         .response_schema = IssuedSchema(),
         .success_status = 201,
         .handler = [pki](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto in, IssueFromBody(req.body));
           VT_ASSIGN_OR_RETURN(auto w, pki->IssueCard(*req.principal, req.params.at("id"), in));
           return Issued(w);
         }});
  r.Add({.method = "GET",
         .path = "/v1/characters/{id}/cards",
         .operation_id = "listCards",
         .summary = "The ID cards of a character, newest first",
         .tag = "cards",
         .handler = [pki](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto cards, pki->ListCards(*req.principal, req.params.at("id")));
           Json a = Json::array();
           for (const auto& c : cards) a.push_back(c.ToJson());
           return Response::Json(200, {{"cards", a}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/cards/{serial}",
         .operation_id = "getCard",
         .summary = "Status of a certificate (good/revoked, reason, validity, superseded_by)",
         .tag = "cards",
         .response_schema = StatusSchema(),
         .handler = [pki](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto c,
                               pki->GetCertificate(*req.principal, req.params.at("serial")));
           return Response::Json(200, c.ToJson());
         }});
  AddDownloads(r, pki);
  r.Add({.method = "POST",
         .path = "/v1/cards/{serial}/renew",
         .operation_id = "renewCard",
         .summary = "Renew or rotate an ID card: a new serial for the same character",
         .tag = "cards",
         .min_role = "member",
         .body_schema = IssueSchema(false),
         .response_schema = IssuedSchema(),
         .success_status = 201,
         .handler = [pki](const Request& req) -> StatusOr<Response> {
           std::optional<crypto::KeyAlg> alg;
           if (req.body.contains("alg")) {
             VT_ASSIGN_OR_RETURN(alg, app::ParseCardAlg(req.body["alg"].get<std::string>()));
           }
           VT_ASSIGN_OR_RETURN(auto w, pki->RenewCard(*req.principal, req.params.at("serial"), alg,
                                                      req.body.value("csr", ""),
                                                      req.body.value("lifetime_days", 0)));
           return Issued(w);
         }});
  r.Add({.method = "POST",
         .path = "/v1/cards/{serial}/revoke",
         .operation_id = "revokeCard",
         .summary = "Revoke a certificate with an RFC 5280 reason (keyCompromise, ...)",
         .tag = "cards",
         .min_role = "member",
         .body_schema = ObjectSchema({{"reason", StringSchema(1, 32)}}, {"reason"}),
         .response_schema = StatusSchema(),
         .handler = [pki](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, pki->Revoke(*req.principal, req.params.at("serial"),
                                                   req.body.value("reason", "")));
           return Response::Json(200, WithReceipts(w.value.ToJson(), w.receipts));
         }});
  r.Add({.method = "POST",
         .path = "/v1/orgs/{org}/members/{member}/certificates",
         .operation_id = "issueMemberCertificate",
         .summary = "Issue a member certificate (signs agreements)",
         .tag = "cards",
         .min_role = "member",
         .body_schema = IssueSchema(false),
         .response_schema = IssuedSchema(),
         .success_status = 201,
         .handler = [pki](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto in, IssueFromBody(req.body));
           VT_ASSIGN_OR_RETURN(auto w,
                               pki->IssueMemberCertificate(*req.principal, req.params.at("org"),
                                                           req.params.at("member"), in));
           return Issued(w);
         }});
}

}  // namespace vt::api
