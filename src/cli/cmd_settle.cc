// `vtrust revenue import` and `vtrust settle run|show|ledger|statement|hold|release|
// vkey|verify` (docs/settlement.md, "Revenue lines", "Settlement runs and the
// ledger", "Statements: signing and verification").
#include <fstream>
#include <optional>
#include <sstream>

#include "app/money/revenue_csv.h"
#include "app/money/statements.h"
#include "cli/context.h"
#include "crypto/key.h"
#include "settlement/lines.h"

namespace vt::cli {
namespace {

constexpr size_t kChunkLines = 10000;
constexpr size_t kChunkBytes = 900 * 1024;  // below the server's default 1 MiB body limit

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return NotFoundError("cannot open " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

StatusOr<std::string> GetText(Client& c, const std::string& path) {
  VT_ASSIGN_OR_RETURN(ApiReply r, c.Send("GET", path, ""));
  if (r.status != 200) {
    auto j = Json::parse(r.body, nullptr, false);
    std::string detail = j.is_object() ? j.value("detail", r.body) : r.body;
    return Status(r.status == 404 ? StatusCode::kNotFound : StatusCode::kFailedPrecondition,
                  "GET " + path + ": " + std::to_string(r.status) + " " + detail);
  }
  return r.body;
}

// Pass 1 checks the whole file (nothing is sent if a row is bad); pass 2 sends it in
// chunks. Every line carries its idempotency key, so a re-run after a failure
// halfway sends the same lines again and the server counts each once.
Status ImportCsv(Context& ctx, const std::string& path) {
  for (int pass = 1; pass <= 2; ++pass) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFoundError("cannot open " + path);
    app::RevenueCsvReader reader(in);
    Client* c = nullptr;
    if (pass == 2) {
      VT_ASSIGN_OR_RETURN(c, ctx.GetClient());
    }
    Json lines = Json::array(), receipts = Json::array();
    size_t bytes = 0, received = 0, imported = 0, duplicates = 0, batches = 0;
    auto flush = [&]() -> Status {
      if (lines.empty()) return OkStatus();
      VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", "/v1/revenue", {{"lines", lines}}));
      received += r.value("received", size_t{0});
      imported += r.value("imported", size_t{0});
      duplicates += r["duplicates"].size();
      if (r.contains("receipt")) {
        receipts.push_back(r["receipt"]);
        ++batches;
      }
      lines = Json::array();
      bytes = 0;
      return OkStatus();
    };
    settlement::RevenueLine l;
    for (;;) {
      auto more = reader.Next(&l);
      if (!more.ok()) return Status(more.status()).Annotate(path);
      if (!*more) break;
      if (pass == 1) continue;
      Json j = settlement::RevenueLineToJson(l);
      bytes += j.dump().size() + 1;
      lines.push_back(std::move(j));
      if (lines.size() >= kChunkLines || bytes >= kChunkBytes) VT_RETURN_IF_ERROR(flush());
    }
    if (pass == 1) continue;
    VT_RETURN_IF_ERROR(flush());
    Json out = {{"file", path},         {"received", received},
                {"imported", imported}, {"duplicates", duplicates},
                {"batches", batches},   {"receipts", receipts}};
    ctx.Print(out, [](const Json& j) {
      return "imported " + std::to_string(j["imported"].get<size_t>()) + " of " +
             std::to_string(j["received"].get<size_t>()) + " lines (" +
             std::to_string(j["duplicates"].get<size_t>()) + " already known) in " +
             std::to_string(j["batches"].get<size_t>()) + " logged batches\n";
    });
  }
  return OkStatus();
}

std::string RunSummary(const Json& r) {
  std::string out = "run " + r.value("id", "") + "  " + r.value("agreement_id", "") + "  " +
                    r.value("period", "") + "  " + r.value("status", "") + "  net " +
                    std::to_string(r.value("net_receipts", int64_t{0})) + " " +
                    r.value("currency", "") + " (minor units)\n";
  if (r.contains("summary") && r["summary"].contains("payees"))
    for (const auto& p : r["summary"]["payees"])
      out += "  " + p.value("id", "") + "  " + p.dump() + "\n";
  return out;
}

struct VerifyArgs {
  std::string statement, version, lines, key;
};

Status Verify(Context& ctx, const VerifyArgs& a) {
  VT_ASSIGN_OR_RETURN(std::string text, ReadFile(a.statement));
  VT_ASSIGN_OR_RETURN(Json env, ParseJsonStrict(text));
  std::string run = env.is_object() ? env.value("run", "") : "";
  std::string version_doc, lines_csv, key_pem;
  Client* c = nullptr;
  bool offline = !a.version.empty() && !a.lines.empty() && !a.key.empty();
  if (!offline) {
    if (run.empty()) return InvalidArgumentError(a.statement + " names no run");
    VT_ASSIGN_OR_RETURN(c, ctx.GetClient());
  }
  const std::string base = "/v1/settlements/" + Seg(run);
  if (!a.version.empty()) {
    VT_ASSIGN_OR_RETURN(version_doc, ReadFile(a.version));
  } else {
    VT_ASSIGN_OR_RETURN(version_doc, GetText(*c, base + "/agreement-version"));
  }
  if (!a.lines.empty()) {
    VT_ASSIGN_OR_RETURN(lines_csv, ReadFile(a.lines));
  } else {
    VT_ASSIGN_OR_RETURN(lines_csv, GetText(*c, base + "/lines"));
  }
  if (!a.key.empty()) {
    VT_ASSIGN_OR_RETURN(key_pem, ReadFile(a.key));
  } else {
    VT_ASSIGN_OR_RETURN(Json k, c->Call("GET", "/v1/statement-key"));
    key_pem = k.value("public_key_pem", "");
  }
  VT_ASSIGN_OR_RETURN(auto key, crypto::PublicKey::FromPem(key_pem));
  VT_ASSIGN_OR_RETURN(std::string bytes, app::CheckSignedStatement(env, key));
  VT_ASSIGN_OR_RETURN(auto version, app::ParseVersionDocument(version_doc));
  std::istringstream in(lines_csv);
  app::RevenueCsvReader reader(in);
  std::vector<settlement::RevenueLine> lines;
  settlement::RevenueLine l;
  for (;;) {
    VT_ASSIGN_OR_RETURN(bool more, reader.Next(&l));
    if (!more) break;
    lines.push_back(l);
  }
  const Json& st = env["statement"];
  std::string period = st.value("period", "");
  std::string payee = st.contains("payee") ? st["payee"].value("id", "") : "";
  VT_ASSIGN_OR_RETURN(std::string expected, app::RecomputeStatement(version, lines, period, payee));
  if (expected != bytes) {
    size_t i = 0;
    while (i < expected.size() && i < bytes.size() && expected[i] == bytes[i]) ++i;
    return FailedPreconditionError("statement differs from the recomputation at byte " +
                                   std::to_string(i) + " (" + std::to_string(bytes.size()) +
                                   " bytes given, " + std::to_string(expected.size()) +
                                   " recomputed)");
  }
  // The public log: the statement.issued entry (and the run's settlement.run entry)
  // must record this statement; committed amounts are checked with the openings the
  // envelope carries (docs/log-entries.md "Commitments").
  Json logged = "not checked (offline)";
  if (c != nullptr && env.contains("log_index")) {
    auto entry_at = [&](int64_t i) -> StatusOr<Json> {
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/log/entries/" + std::to_string(i)));
      return r["entry"];
    };
    VT_ASSIGN_OR_RETURN(Json st_entry, entry_at(env["log_index"].get<int64_t>()));
    std::optional<Json> run_entry;
    for (const Json& o : env.value("log_openings", Json::array()))
      if (o.value("field", "") == "/payload/net_receipts" && o.contains("index")) {
        VT_ASSIGN_OR_RETURN(run_entry, entry_at(o["index"].get<int64_t>()));
      }
    VT_ASSIGN_OR_RETURN(
        logged, app::CheckStatementLogEntries(env, st_entry, run_entry ? &*run_entry : nullptr));
    logged["index"] = env["log_index"];
  }
  Json out = {{"ok", true},
              {"run", run},
              {"payee", payee},
              {"period", period},
              {"bytes", bytes.size()},
              {"sha256", env["sha256"]},
              {"key_id", env["signature"]["key_id"]},
              {"log", logged}};
  ctx.Print(out, [](const Json& j) {
    std::string log = "the log was not checked (offline)";
    if (j["log"].is_object())
      log = "log entry " + std::to_string(j["log"]["index"].get<int64_t>()) +
            " records it (total " + j["log"]["total"].get<std::string>() + ", net receipts " +
            j["log"]["net_receipts"].get<std::string>() + ")";
    return "OK: the statement of " + j["payee"].get<std::string>() + " for " +
           j["period"].get<std::string>() + " equals the recomputation byte for byte (" +
           std::to_string(j["bytes"].get<size_t>()) +
           " bytes), the operator signature verifies (key " +
           j["key_id"].get<std::string>().substr(0, 16) + "...) and " + log + "\n";
  });
  return OkStatus();
}

void AddRevenue(CLI::App& app, Context& ctx) {
  static std::string file;
  auto* rev = app.add_subcommand("revenue", "Revenue lines");
  rev->require_subcommand(1);
  auto* imp = rev->add_subcommand(
      "import", std::string("Import a CSV file (header: ") + app::kRevenueCsvHeader + ")");
  imp->add_option("FILE", file, "CSV file")->required();
  AddGlobalFlags(*imp, ctx);
  imp->callback([&ctx] { ctx.Run([&] { return ImportCsv(ctx, file); }); });
}

// A subcommand that calls `method path(args)` and prints the JSON reply.
void Simple(CLI::App& settle, Context& ctx, const std::string& name, const std::string& help,
            const std::function<void(CLI::App&)>& options,
            const std::function<StatusOr<Json>(Client&)>& call,
            const std::function<std::string(const Json&)>& human) {
  auto* cmd = settle.add_subcommand(name, help);
  options(*cmd);
  AddGlobalFlags(*cmd, ctx);
  cmd->callback([&ctx, call, human] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, call(*c));
      ctx.Print(r, human);
      return OkStatus();
    });
  });
}

void AddSettle(CLI::App& app, Context& ctx) {
  static std::string agreement, period, run, payee, reason, out;
  static bool correction = false, csv = false;
  static VerifyArgs va;
  auto* settle = app.add_subcommand("settle", "Settlement runs, ledger, holds, statements");
  settle->require_subcommand(1);
  auto dump = [](const Json& j) { return j.dump(2) + "\n"; };
  Simple(
      *settle, ctx, "run", "Settle an agreement for a period",
      [](CLI::App& c) {
        c.add_option("--agreement", agreement, "Agreement id")->required();
        c.add_option("--period", period, "Month YYYY-MM")->required();
        c.add_flag("--correction", correction, "Replace the latest settled period");
      },
      [](Client& c) {
        return c.Call(
            "POST", "/v1/settlements",
            {{"agreement_id", agreement}, {"period", period}, {"correction", correction}});
      },
      RunSummary);
  Simple(
      *settle, ctx, "show", "A settlement run",
      [](CLI::App& c) { c.add_option("RUN", run, "Run id")->required(); },
      [](Client& c) { return c.Call("GET", "/v1/settlements/" + Seg(run)); }, RunSummary);
  Simple(
      *settle, ctx, "ledger", "A run's ledger transfers and balances",
      [](CLI::App& c) { c.add_option("RUN", run, "Run id")->required(); },
      [](Client& c) { return c.Call("GET", "/v1/settlements/" + Seg(run) + "/ledger"); }, dump);
  Simple(
      *settle, ctx, "hold", "Hold a payee's disputed share",
      [](CLI::App& c) {
        c.add_option("RUN", run, "Run id")->required();
        c.add_option("--payee", payee, "Payee id")->required();
        c.add_option("--reason", reason, "Why")->required();
      },
      [](Client& c) {
        return c.Call("POST", "/v1/settlements/" + Seg(run) + "/holds",
                      {{"payee", payee}, {"reason", reason}});
      },
      dump);
  Simple(
      *settle, ctx, "release", "Release a held share",
      [](CLI::App& c) {
        c.add_option("RUN", run, "Run id")->required();
        c.add_option("--payee", payee, "Payee id")->required();
      },
      [](Client& c) {
        return c.Call("POST", "/v1/settlements/" + Seg(run) + "/holds/" + Seg(payee) + "/release");
      },
      dump);
  auto* st = settle->add_subcommand("statement", "A payee's signed statement (or --csv)");
  st->add_option("RUN", run, "Run id")->required();
  st->add_option("PAYEE", payee, "Payee id")->required();
  st->add_flag("--csv", csv, "The CSV rendering instead of the signed JSON");
  st->add_option("--out", out, "Write to this file instead of stdout");
  AddGlobalFlags(*st, ctx);
  st->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(std::string body,
                          GetText(*c, "/v1/settlements/" + Seg(run) + "/statements/" +
                                          Seg(payee + (csv ? ".csv" : ".json"))));
      if (out.empty()) {
        std::cout << body << (csv ? "" : "\n");
        return OkStatus();
      }
      std::ofstream f(out, std::ios::binary);
      f << body;
      if (!f.flush()) return InternalError("cannot write " + out);
      return OkStatus();
    });
  });
  auto* vkey = settle->add_subcommand("vkey", "The operator's statement key (PEM)");
  AddGlobalFlags(*vkey, ctx);
  vkey->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json k, c->Call("GET", "/v1/statement-key"));
      ctx.Print(k, [](const Json& j) { return j.value("public_key_pem", ""); });
      return OkStatus();
    });
  });
  auto* ver = settle->add_subcommand(
      "verify", "Recompute a signed statement and compare byte for byte; check the signature");
  ver->add_option("--statement", va.statement, "Signed statement JSON")->required();
  ver->add_option("--agreement-version", va.version, "Agreement version document (else fetched)");
  ver->add_option("--lines", va.lines, "Revenue lines CSV of every period so far (else fetched)");
  ver->add_option("--key", va.key, "Operator statement public key PEM (else fetched)");
  AddGlobalFlags(*ver, ctx);
  ver->callback([&ctx] { ctx.Run([&] { return Verify(ctx, va); }); });
}

}  // namespace

void AddSettlementCommands(CLI::App& app, Context& ctx) {
  AddRevenue(app, ctx);
  AddSettle(app, ctx);
}

}  // namespace vt::cli
