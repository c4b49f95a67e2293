// Revenue lines, settlement runs, the ledger, holds and signed statements
// (docs/settlement.md, "Revenue lines", "Settlement runs and the ledger",
// "Statements: signing and verification").
#include <memory>

#include "api/routes.h"
#include "api/schema.h"
#include "app/access/service.h"
#include "app/money/revenue.h"
#include "app/money/settlements.h"

namespace vt::api {
namespace {

using app::RevenueBook;
using app::Settlements;

struct Desks {
  RevenueBook& book;
  Settlements& runs;
};

bool StripSuffix(std::string& s, const std::string& suffix) {
  if (s.size() <= suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix))
    return false;
  s.resize(s.size() - suffix.size());
  return true;
}

void AddRevenueAndRuns(Router& r, std::shared_ptr<Desks> d) {
  r.Add({.method = "POST",
         .path = "/v1/revenue",
         .operation_id = "importRevenue",
         .summary = "Import revenue lines (1-10000; replays by idempotency key are not counted; "
                    "each line's work must be known, or the line names its agreement)",
         .tag = "settlement",
         .min_role = "member",
         .body_schema = ObjectSchema({{"lines",
                                       {{"type", "array"},
                                        {"items", {{"type", "object"}}},
                                        {"minItems", 1},
                                        {"maxItems", 10000}}}},
                                     {"lines"}),
         .success_status = 201,
         .handler = [d](const Request& req) -> StatusOr<Response> {
           std::vector<std::string> agreements;
           VT_ASSIGN_OR_RETURN(auto lines, app::RevenueLinesFromJson(req.body, &agreements));
           VT_ASSIGN_OR_RETURN(
               auto w, d->book.Import(*req.principal, std::move(lines), std::move(agreements)));
           return Response::Json(w.value.imported ? 201 : 200,
                                 WithReceipts(w.value.ToJson(), w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/revenue",
         .operation_id = "listRevenue",
         .summary = "Your organization's revenue lines (?work=, ?period=, ?limit= up to 10000) "
                    "and their totals per period and currency",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto j, d->book.List(*req.principal, req.Query("work"),
                                                    req.Query("period"), req.Query("limit")));
           return Response::Json(200, j);
         }});
  r.Add({.method = "POST",
         .path = "/v1/settlements",
         .operation_id = "runSettlement",
         .summary = "Settle an agreement's in-force version for a period (correction: replace "
                    "the latest settled period with reversing entries)",
         .tag = "settlement",
         .min_role = "member",
         .body_schema = ObjectSchema({{"agreement_id", StringSchema(1, 128)},
                                      {"period", StringSchema(7, 7)},
                                      {"correction", {{"type", "boolean"}}}},
                                     {"agreement_id", "period"}),
         .success_status = 201,
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(
               auto w, d->runs.Run(*req.principal, req.body["agreement_id"].get<std::string>(),
                                   req.body["period"].get<std::string>(),
                                   req.body.value("correction", false)));
           // The run as GET shows it: with the period's revenue it did not settle.
           VT_ASSIGN_OR_RETURN(auto run, d->runs.Get(*req.principal, w.value.id));
           return Response::Json(201, WithReceipts(run.ToJson(), w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/settlements",
         .operation_id = "listSettlements",
         .summary = "Settlement runs of your organization (every run for the operator); "
                    "?agreement=ID filters",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto runs, d->runs.List(*req.principal, req.Query("agreement")));
           Json a = Json::array();
           for (const auto& run : runs) a.push_back(run.ToJson());
           return Response::Json(200, Json{{"runs", a}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/statements",
         .operation_id = "listMyStatements",
         .summary = "Statements issued to you across agreements: ?payee=me (your member and "
                    "organization ids) or one of those ids",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto j, d->runs.StatementsOf(*req.principal, req.Query("payee")));
           return Response::Json(200, j);
         }});
  r.Add({.method = "GET",
         .path = "/v1/settlements/{run}",
         .operation_id = "getSettlement",
         .summary = "A settlement run with its summary",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto run, d->runs.Get(*req.principal, req.params.at("run")));
           return Response::Json(200, run.ToJson());
         }});
  r.Add({.method = "GET",
         .path = "/v1/settlements/{run}/ledger",
         .operation_id = "getSettlementLedger",
         .summary = "The run's ledger transfers and account balances",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto j, d->runs.Ledger(*req.principal, req.params.at("run")));
           return Response::Json(200, j);
         }});
}

void AddHoldsAndStatements(Router& r, std::shared_ptr<Desks> d) {
  r.Add({.method = "POST",
         .path = "/v1/settlements/{run}/holds",
         .operation_id = "holdShare",
         .summary = "Hold a payee's disputed share (moved to its hold account)",
         .tag = "settlement",
         .min_role = "member",
         .body_schema =
             ObjectSchema({{"payee", StringSchema(1, 128)}, {"reason", StringSchema(1, 500)}},
                          {"payee", "reason"}),
         .success_status = 201,
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, d->runs.Hold(*req.principal, req.params.at("run"),
                                                    req.body["payee"].get<std::string>(),
                                                    req.body["reason"].get<std::string>()));
           return Response::Json(201, WithReceipts(w.value, w.receipts));
         }});
  r.Add({.method = "POST",
         .path = "/v1/settlements/{run}/holds/{payee}/release",
         .operation_id = "releaseShare",
         .summary = "Release a held share back to the payee's payable account",
         .tag = "settlement",
         .min_role = "member",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, d->runs.Release(*req.principal, req.params.at("run"),
                                                       req.params.at("payee")));
           return Response::Json(200, WithReceipts(w.value, w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/settlements/{run}/statements/{payee}",
         .operation_id = "getStatement",
         .summary = "A payee's statement: {payee}.json (signed envelope, default) or {payee}.csv",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           std::string payee = req.params.at("payee");
           if (StripSuffix(payee, ".csv")) {
             VT_ASSIGN_OR_RETURN(
                 auto csv, d->runs.StatementCsvOf(*req.principal, req.params.at("run"), payee));
             return Response::Text(200, std::move(csv), "text/csv; charset=utf-8");
           }
           StripSuffix(payee, ".json");
           VT_ASSIGN_OR_RETURN(
               auto env, d->runs.StatementEnvelope(*req.principal, req.params.at("run"), payee));
           return Response::Json(200, env);
         }});
  r.Add({.method = "GET",
         .path = "/v1/settlements/{run}/agreement-version",
         .operation_id = "getSettlementAgreementVersion",
         .summary = "The canonical agreement version document the run used (for settle verify)",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto doc,
                               d->runs.VersionDocument(*req.principal, req.params.at("run")));
           return Response::Text(200, std::move(doc), "application/json");
         }});
  r.Add({.method = "GET",
         .path = "/v1/settlements/{run}/lines",
         .operation_id = "getSettlementLines",
         .summary = "CSV of the revenue lines of every period up to the run's, as settled",
         .tag = "settlement",
         .handler = [d](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto csv, d->runs.LinesCsv(*req.principal, req.params.at("run")));
           return Response::Text(200, std::move(csv), "text/csv; charset=utf-8");
         }});
  r.Add({.method = "GET",
         .path = "/v1/statement-key",
         .operation_id = "getStatementKey",
         .summary = "The operator's Ed25519 statement-signing public key",
         .tag = "settlement",
         .access = Access::kPublic,
         .handler = [d](const Request&) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto j, d->runs.StatementKeyJson());
           return Response::Json(200, j);
         }});
}

}  // namespace

void AddSettlementRoutes(Router& r, RevenueBook& book, Settlements& runs) {
  auto d = std::make_shared<Desks>(Desks{book, runs});
  AddRevenueAndRuns(r, d);
  AddHoldsAndStatements(r, d);
}

}  // namespace vt::api
