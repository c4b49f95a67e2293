// "I am me" (docs/id-card-profile.md) and the printable card; docs/i-am-me.md.
//
// The two challenge POSTs are deliberately PUBLIC (Access::kPublic): the party
// that asks "are you really X?" is a verifier (a venue, a platform, a viewer)
// who needs no vtrust account, and the holder proving it needs none either.
// Challenges are stateless (MACed by the server); a verification writes one
// row to the replay set (used_challenges, deleted at the challenge's expiry),
// at most app::Config::challenge_quota_per_client unexpired rows per client
// address, behind the per-address token bucket (rate_limited). No log entry.
// tests/authz_test.cc lists them by name as the only public mutating operations.
#include <memory>
#include <utility>

#include "api/problem.h"
#include "api/routes.h"
#include "api/schema.h"
#include "app/identity/card_render.h"
#include "app/identity/challenges.h"

namespace vt::api {
namespace {

using app::ChallengeService;

Json ChallengeSchema() {
  return ObjectSchema({{"id", StringSchema()},
                       {"character_id", StringSchema()},
                       {"nonce", StringSchema()},
                       {"audience", StringSchema()},
                       {"expires_at", StringSchema()}},
                      {"id", "character_id", "nonce", "audience", "expires_at"});
}

void AddChallenges(Router& r, ChallengeSource lazy) {
  r.Add({.method = "POST",
         .path = "/v1/characters/{id}/challenges",
         .operation_id = "createChallenge",
         .summary = "Public: a challenge (nonce bound to an audience, short expiry) that the "
                    "holder of the character's current card signs",
         .tag = "cards",
         .access = Access::kPublic,
         .body_schema = ObjectSchema(
             {{"audience", StringSchema(1, 256)}, {"ttl_seconds", IntegerSchema(1, 600)}},
             {"audience"}),
         .response_schema = ChallengeSchema(),
         .success_status = 201,
         .rate_limited = true,
         .handler = [lazy](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(ChallengeService * cs, lazy());
           int64_t ttl = req.body.value("ttl_seconds", app::kDefaultChallengeTtl.count());
           VT_ASSIGN_OR_RETURN(
               auto c, cs->Create(req.params.at("id"), req.body.at("audience").get<std::string>(),
                                  std::chrono::seconds(ttl)));
           return Response::Json(201, x509::ChallengeToJson(c));
         }});
  r.Add({.method = "POST",
         .path = "/v1/challenges/{id}/verify",
         .operation_id = "verifyChallenge",
         .summary = "Public: checks a signed challenge against the character's current, "
                    "unrevoked card; returns a verdict signed by the operator's verdict key "
                    "(valid or invalid)",
         .tag = "cards",
         .access = Access::kPublic,
         .body_schema = ObjectSchema({{"challenge", {{"type", "object"}}},
                                      {"signature", StringSchema(1, 1024)},
                                      {"certificate", StringSchema(1, 16384)},
                                      {"audience", StringSchema(1, 256)}},
                                     {"challenge", "signature"}),
         .rate_limited = true,
         .handler = [lazy](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(ChallengeService * cs, lazy());
           ChallengeService::VerifyInput in;
           in.path_id = req.params.at("id");
           in.challenge = req.body.at("challenge");
           in.signature = req.body.at("signature").get<std::string>();
           if (req.body.contains("certificate"))
             in.certificate = req.body["certificate"].get<std::string>();
           if (req.body.contains("audience")) in.audience = req.body["audience"].get<std::string>();
           in.client = req.client;
           auto v = cs->Verify(in);
           if (!v.ok() && v.status().code() == StatusCode::kResourceExhausted) {
             // This client's quota of used challenges (RFC 6585 §4): others are
             // not affected; a slot frees when one of its challenges expires.
             Json p = ProblemFor(v.status());
             p["status"] = 429;
             p["title"] = "Too many requests";
             Response r = Response::Json(429, p);
             r.content_type = kProblemContentType;
             r.headers.emplace_back("Retry-After", std::to_string(x509::kMaxChallengeTtl.count()));
             return r;
           }
           VT_RETURN_IF_ERROR(v.status());
           return Response::Text(200, v->json, "application/json");
         }});
  r.Add({.method = "GET",
         .path = "/v1/verdict-key",
         .operation_id = "verdictKey",
         .summary = "Public: the operator's verdict-signing public key (PEM), for checking "
                    "verdicts offline",
         .tag = "cards",
         .access = Access::kPublic,
         .handler = [lazy](const Request&) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(ChallengeService * cs, lazy());
           const crypto::PublicKey& k = cs->verdict_key();
           return Response::Json(200,
                                 {{"alg", crypto::KeyAlgName(k.alg())}, {"public_key", k.ToPem()}});
         }});
}

void AddCardViews(Router& r, app::Service& svc) {
  r.Add({.method = "GET",
         .path = "/v1/characters/{id}/card.svg",
         .operation_id = "renderCard",
         .summary = "The printable ID card (SVG) with a QR code of the verification page",
         .tag = "cards",
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto view,
                               app::LoadCardView(svc, &*req.principal, req.params.at("id")));
           VT_ASSIGN_OR_RETURN(std::string svg, app::RenderCardSvg(view));
           return Response::Text(200, std::move(svg), "image/svg+xml; charset=utf-8");
         }});
  r.Add({.method = "GET",
         .path = "/verify/{id}",
         .operation_id = "verifyPage",
         .summary = "Public: the verification page a card's QR code opens (HTML)",
         .tag = "cards",
         .access = Access::kPublic,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto view, app::LoadCardView(svc, nullptr, req.params.at("id")));
           // The portal's character page takes over when scripts run (docs/portal.md).
           return Response::Text(200, WithPortalScripts(app::RenderVerifyPage(view)),
                                 "text/html; charset=utf-8");
         }});
}

}  // namespace

void AddChallengeRoutes(Router& r, app::Service& svc, ChallengeSource challenges) {
  AddChallenges(r, std::move(challenges));
  AddCardViews(r, svc);
}

}  // namespace vt::api
