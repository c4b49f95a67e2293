// Route registration, one function per area; each takes the components it
// serves (built once by the composition root, server/root.h, which must keep
// them alive as long as the router). server::BuildRouter() assembles them all:
// the server, the CLI's local mode and the tests share that one table.
#pragma once

#include <functional>
#include <memory>

#include "api/router.h"

namespace vt::app {
class ContentDesk;
class AgreementRegistry;
class ChallengeService;
class CharacterRegistry;
class LogReads;
class Pki;
class RevenueBook;
class RevocationService;
class RightsRegistry;
class Settlements;
class WorkRegistry;
}  // namespace vt::app

namespace vt::api {

void AddSystemRoutes(Router& r, app::Service& svc);
void AddAccessRoutes(Router& r, app::Service& svc);
// /log/ (C2SP tlog-tiles) and /v1/log/ proofs (routes_log.cc).
void AddLogRoutes(Router& r, app::LogReads& log);
// /v1/characters (routes_characters.cc).
void AddCharacterRoutes(Router& r, app::CharacterRegistry& characters);
void AddWorkRoutes(Router& r, app::WorkRegistry& works);
// The challenge service, opened on first use (it loads or creates two sealed
// keys in the data directory); an error if it cannot be opened.
using ChallengeSource = std::function<StatusOr<app::ChallengeService*>()>;
// "I am me" challenges, verdicts, card.svg and /verify/{id} (routes_challenges.cc).
void AddChallengeRoutes(Router& r, app::Service& svc, ChallengeSource challenges);
// /v1/agreements (routes_agreements.cc).
void AddAgreementRoutes(Router& r, app::AgreementRegistry& agreements);
// /v1/works/{work}/transfers|licences|documents (routes_rights.cc).
void AddRightsRoutes(Router& r, app::RightsRegistry& rights);
// /v1/revenue, /v1/settlements, /v1/statement-key (routes_settlement.cc).
void AddSettlementRoutes(Router& r, app::RevenueBook& book, app::Settlements& runs);
// /pki: CRLs, CA certificates and the OCSP responder, public (routes_pki.cc).
void AddPkiRoutes(Router& r, app::Service& svc, app::RevocationService& revocation);

// /v1/ca/roots, /v1/cards, /v1/characters/{id}/cards, member certificates
// (routes_cards.cc).
void AddCardRoutes(Router& r, app::Pki& pki);

// The route table is assembled from the components, once, by the composition
// root: server::BuildRouter (server/root.h).

// The portal's static files at "/" and "/assets/..." (routes_portal.cc, docs/portal.md).
void AddPortalRoutes(Router& r);
// `html` with the portal's stylesheet and script tags inserted before "</head>", so
// that a server-rendered page (the card's verification page) becomes a portal page
// when scripts run and stays readable when they do not.
std::string WithPortalScripts(std::string html);

// /v1/content/sign and /v1/content/verify (routes_content.cc).
// max_body_bytes: the largest asset the content routes read (config
// content_max_body_bytes), streamed to a temporary file.
void AddContentRoutes(Router& r, app::ContentDesk& desk, size_t max_body_bytes);

// Converts a written result into the response body {..., "receipts": [...]}.
Json WithReceipts(Json body, const std::vector<Json>& receipts);

// The body schema of a signature on a signed document (agreement versions, transfers,
// licences): the signer's member certificate (PEM) and the signature (base64). The
// signer is the member of the certificate; there is no separate member field.
Json SignatureSchema();

// A created signed document: its JSON with the receipts of the write.
Response Created(const Json& body, const std::vector<Json>& receipts, int status = 201);

}  // namespace vt::api
