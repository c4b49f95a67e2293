// Route registration, one function per area. BuildRouter() assembles them all:
// the server, the CLI's local mode and the tests share that one table.
#pragma once

#include <memory>

#include "api/router.h"

namespace vt::api {

void AddSystemRoutes(Router& r, app::Service& svc);
void AddAccessRoutes(Router& r, app::Service& svc);
void AddLogRoutes(Router& r, app::Service& svc);
// /v1/characters (routes_characters.cc).
void AddCharacterRoutes(Router& r, app::Service& svc);
void AddWorkRoutes(Router& r, app::Service& svc);
// "I am me" challenges, verdicts, card.svg and /verify/{id} (routes_challenges.cc).
void AddChallengeRoutes(Router& r, app::Service& svc);
// /v1/agreements and /v1/works/{work}/transfers|licences|documents (routes_agreements.cc).
void AddAgreementRoutes(Router& r, app::Service& svc);
// /v1/revenue, /v1/settlements, /v1/statement-key (routes_settlement.cc).
void AddSettlementRoutes(Router& r, app::Service& svc);
// /pki: CRLs, CA certificates and the OCSP responder, public (routes_pki.cc).
void AddPkiRoutes(Router& r, app::Service& svc);

// /v1/ca/roots, /v1/cards, /v1/characters/{id}/cards, member certificates
// (routes_cards.cc).
void AddCardRoutes(Router& r, app::Service& svc);

// /v1/content/sign and /v1/content/verify (routes_content.cc).
void AddContentRoutes(Router& r, app::Service& svc);

// Every route of the product.
std::unique_ptr<Router> BuildRouter(app::Service& svc);

// Converts a written result into the response body {..., "receipts": [...]}.
Json WithReceipts(Json body, const std::vector<Json>& receipts);

}  // namespace vt::api
