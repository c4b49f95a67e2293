// `vtrust revenue import` and `vtrust settle run|show|ledger|statement|hold|release|
// vkey|verify` (docs/settlement.md, "Revenue lines", "Settlement runs and the
// ledger", "Statements: signing and verification").
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "app/money/revenue_csv.h"
#include "app/money/statements.h"
#include "cli/context.h"
#include "cli/format.h"
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

// "1 batch", "2 batches".
std::string Count(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The server names a line of a request "lines[I]..." (its index in the chunk
// sent); the file's reader names it "row N, column C". Rewrites the former into the
// latter with `rows` (the file row of each line of the chunk), so that every
// message about a file speaks of its rows.
Status InFileRows(Status s, const std::vector<int64_t>& rows) {
  const std::string field(s.field());
  if (field.rfind("lines[", 0) != 0) return s;
  size_t close = field.find(']');
  size_t i = 0;
  try {
    i = std::stoul(field.substr(6, close - 6));
  } catch (const std::exception&) {
    return s;
  }
  if (close == std::string::npos || i >= rows.size()) return s;
  std::string column = field.substr(close + 1);
  if (!column.empty() && column[0] == '.') column.erase(0, 1);
  std::string where =
      "row " + std::to_string(rows[i]) + (column.empty() ? "" : ", column " + column);
  std::string msg(s.message());
  if (msg.rfind(field, 0) == 0) msg.erase(0, field.size());
  while (!msg.empty() && (msg[0] == ' ' || msg[0] == ':')) msg.erase(0, 1);
  return Status(s.code(), where + ": " + msg).WithField(where);
}

// Pass 1 checks the whole file (nothing is sent if a row is bad, or if two rows
// share an idempotency key with different content); pass 2 sends it in chunks.
// Every line carries its idempotency key, so a re-run after a failure halfway
// sends the same lines again and the server counts each once.
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
    std::vector<int64_t> rows;  // the file row of each line in `lines`
    std::map<std::string, std::pair<int64_t, settlement::RevenueLine>> first;  // pass 1
    size_t bytes = 0, received = 0, imported = 0, duplicates = 0, batches = 0;
    auto flush = [&]() -> Status {
      if (lines.empty()) return OkStatus();
      auto sent = c->Call("POST", "/v1/revenue", {{"lines", lines}});
      if (!sent.ok()) return InFileRows(sent.status(), rows).Annotate(path);
      Json& r = *sent;
      received += r.value("received", size_t{0});
      imported += r.value("imported", size_t{0});
      duplicates += r["duplicates"].size();
      if (r.contains("receipt")) {
        receipts.push_back(r["receipt"]);
        ++batches;
      }
      lines = Json::array();
      rows.clear();
      bytes = 0;
      return OkStatus();
    };
    settlement::RevenueLine l;
    std::string agreement;
    for (;;) {
      auto more = reader.Next(&l, &agreement);
      if (!more.ok()) return Status(more.status()).Annotate(path);
      if (!*more) break;
      if (pass == 1) {
        auto [it, fresh] = first.emplace(l.idempotency_key, std::make_pair(reader.row(), l));
        if (!fresh && !(it->second.second == l)) {
          std::string where = "row " + std::to_string(reader.row()) + ", column idempotency_key";
          return AlreadyExistsError(where + ": '" + l.idempotency_key +
                                    "' is already used by row " + std::to_string(it->second.first) +
                                    " with different content")
              .WithField(where)
              .Annotate(path);
        }
        continue;
      }
      Json j = settlement::RevenueLineToJson(l);
      if (!agreement.empty()) j["agreement"] = agreement;
      bytes += j.dump().size() + 1;
      lines.push_back(std::move(j));
      rows.push_back(reader.row());
      if (lines.size() >= kChunkLines || bytes >= kChunkBytes) VT_RETURN_IF_ERROR(flush());
    }
    if (pass == 1) continue;
    VT_RETURN_IF_ERROR(flush());
    Json out = {{"file", path},         {"received", received},
                {"imported", imported}, {"duplicates", duplicates},
                {"batches", batches},   {"receipts", receipts}};
    ctx.Print(out, [](const Json& j) {
      return "imported " + std::to_string(j["imported"].get<size_t>()) + " of " +
             Count(j["received"].get<size_t>(), "line", "lines") + " (" +
             std::to_string(j["duplicates"].get<size_t>()) + " already known) in " +
             Count(j["batches"].get<size_t>(), "logged batch", "logged batches") + "\n";
    });
  }
  return OkStatus();
}

// The run and its payees as a table, amounts at the currency's scale.
std::string RunSummary(const Json& r) {
  const std::string cur = r.value("currency", "");
  std::string out = "run " + r.value("id", "") + "  agreement " + r.value("agreement_id", "") +
                    "  period " + r.value("period", "") + "  " + r.value("status", "") + "\n";
  out += "net receipts " + Money(MinorOf(r, "net_receipts"), cur) + " from " +
         std::to_string(r.value("line_count", int64_t{0})) + " lines";
  if (r.contains("corrects")) out += "; corrects " + r.value("corrects", "");
  out += "\n";
  const Json& sum = r.contains("summary") ? r["summary"] : Json();
  if (sum.is_object() && sum.contains("payees") && !sum["payees"].empty()) {
    Table t({"payee", "name", "this period (" + cur + ")", "cumulative (" + cur + ")"}, {2, 3});
    for (const auto& p : sum["payees"])
      t.Add({p.value("id", ""), p.value("name", ""), MoneyAmount(MinorOf(p, "amount"), cur),
             MoneyAmount(MinorOf(p, "cumulative"), cur)});
    out += "\n" + t.Render("  ");
  }
  if (r.contains("unsettled") && r["unsettled"].is_object()) {
    const Json& u = r["unsettled"];
    std::string notes;
    const Json& oos = u.value("out_of_scope", Json::object());
    if (oos.value("lines", int64_t{0}) > 0)
      notes += "  out of the agreement's scope: " + std::to_string(oos.value("lines", int64_t{0})) +
               " lines, " + Money(MinorOf(oos, "amount"), cur) + "\n";
    for (const auto& o : u.value("other_currencies", Json::array()))
      notes += "  in another currency (not this agreement's ledger): " +
               std::to_string(o.value("lines", int64_t{0})) + " lines, " +
               Money(MinorOf(o, "amount"), o.value("currency", "")) + "\n";
    for (const auto& o : u.value("unmatched", Json::array()))
      notes += "  unmatched (revenue of works no agreement of yours settles): " +
               std::to_string(o.value("lines", int64_t{0})) + " lines, " +
               Money(MinorOf(o, "amount"), o.value("currency", "")) + "\n";
    if (!notes.empty())
      out += "\nnot settled by this run, period " + r.value("period", "") + ":\n" + notes;
  }
  return out;
}

std::string LedgerTable(const Json& j) {
  std::string out = "run " + j.value("run", "") + "  " + j.value("status", "") + "\n\n";
  Table t({"#", "kind", "from", "to", "amount"}, {0, 4});
  for (const auto& m : j.value("transfers", Json::array()))
    t.Add({std::to_string(m.value("seq", int64_t{0})), m.value("kind", ""), m.value("debit", ""),
           m.value("credit", ""), Money(MinorOf(m, "amount"), m.value("currency", ""))});
  out += t.Render("  ");
  Table b({"account", "balance"}, {1});
  const Json balances = j.value("balances", Json::object());
  for (const auto& [acct, bal] : balances.items()) {
    // Account ids end in ":<CUR>".
    std::string cur = acct.substr(acct.rfind(':') + 1);
    b.Add({acct, Money(bal.is_number_integer() ? bal.get<int64_t>() : 0, cur)});
  }
  out += "\n" + b.Render("  ");
  return out;
}

std::string RunsTable(const Json& j) {
  const Json& runs = j.value("runs", Json::array());
  if (runs.empty()) return "no settlement runs\n";
  Table t({"run", "agreement", "period", "status", "net receipts", "lines"}, {4, 5});
  for (const auto& r : runs)
    t.Add({r.value("id", ""), r.value("agreement_id", ""), r.value("period", ""),
           r.value("status", ""), Money(MinorOf(r, "net_receipts"), r.value("currency", "")),
           std::to_string(r.value("line_count", int64_t{0}))});
  return t.Render();
}

std::string StatementsTable(const Json& j) {
  const Json& list = j.value("statements", Json::array());
  if (list.empty()) return "no statements for " + j.value("payees", Json::array()).dump() + "\n";
  Table t({"run", "agreement", "period", "payee", "this period", "cumulative", "status"}, {4, 5});
  for (const auto& s : list) {
    std::string cur = s.value("currency", "");
    t.Add({s.value("run", ""), s.value("agreement_id", ""), s.value("period", ""),
           s.value("payee", ""), Money(MinorOf(s, "amount"), cur),
           Money(MinorOf(s, "cumulative"), cur), s.value("status", "")});
  }
  return t.Render() +
         "\n(vtrust settle statement RUN PAYEE [--out FILE.json|FILE.csv]; vtrust "
         "settle verify --statement FILE.json)\n";
}

std::string HoldText(const Json& j) {
  std::string cur = j.contains("transfer") ? j["transfer"].value("currency", "") : "";
  return std::string(j.value("held", false) ? "held " : "released ") +
         Money(MinorOf(j, "amount"), cur) + " of " + j.value("payee", "") + " in run " +
         j.value("run", "") + " (transfer " +
         (j.contains("transfer") ? j["transfer"].value("id", "") : "") + ")\n";
}

std::string RevenueTable(const Json& j) {
  std::string out;
  const Json& lines = j.value("lines", Json::array());
  if (lines.empty()) {
    out = "no revenue lines\n";
  } else {
    Table t({"idempotency_key", "work", "period", "territory", "channel", "amount"}, {5});
    for (const auto& l : lines)
      t.Add({l.value("idempotency_key", ""), l.value("work", ""), l.value("period", ""),
             l.value("territory", ""), l.value("channel", ""),
             Money(MinorOf(l, "amount"), l.value("currency", ""))});
    out = t.Render();
    if (j.value("truncated", false)) out += "(more lines: raise --limit or filter)\n";
  }
  const Json& totals = j.value("totals", Json::array());
  if (!totals.empty()) {
    Table t({"period", "lines", "total"}, {1, 2});
    for (const auto& x : totals)
      t.Add({x.value("period", ""), std::to_string(x.value("lines", int64_t{0})),
             Money(MinorOf(x, "amount"), x.value("currency", ""))});
    out += "\ntotals per period:\n" + t.Render("  ");
  }
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
  static std::string work, period, limit;
  auto* list =
      rev->add_subcommand("list", "Your organization's revenue lines and totals per period");
  list->add_option("--work", work, "Only lines of this work");
  list->add_option("--period", period, "Only lines of this month (YYYY-MM)");
  list->add_option("--limit", limit, "At most this many lines (1-10000, default 1000)");
  AddGlobalFlags(*list, ctx);
  list->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      std::string q;
      for (const auto& [k, v] : {std::pair<std::string, std::string>{"work", work},
                                 {"period", period},
                                 {"limit", limit}})
        if (!v.empty()) q += (q.empty() ? "?" : "&") + k + "=" + Seg(v);
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/revenue" + q));
      ctx.Print(r, RevenueTable);
      return OkStatus();
    });
  });
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
      [](Client& c) { return c.Call("GET", "/v1/settlements/" + Seg(run) + "/ledger"); },
      LedgerTable);
  Simple(
      *settle, ctx, "list", "Settlement runs of your organization",
      [](CLI::App& c) { c.add_option("--agreement", agreement, "Only runs of this agreement"); },
      [](Client& c) {
        return c.Call(
            "GET", "/v1/settlements" + (agreement.empty() ? "" : "?agreement=" + Seg(agreement)));
      },
      RunsTable);
  Simple(
      *settle, ctx, "statements",
      "Statements issued to you (your member or organization id) across agreements",
      [](CLI::App& c) {
        c.add_option("--payee", payee, "me (default), or your member or organization id");
      },
      [](Client& c) {
        return c.Call("GET", "/v1/statements?payee=" + Seg(payee.empty() ? "me" : payee));
      },
      StatementsTable);
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
      HoldText);
  Simple(
      *settle, ctx, "release", "Release a held share",
      [](CLI::App& c) {
        c.add_option("RUN", run, "Run id")->required();
        c.add_option("--payee", payee, "Payee id")->required();
      },
      [](Client& c) {
        return c.Call("POST", "/v1/settlements/" + Seg(run) + "/holds/" + Seg(payee) + "/release");
      },
      HoldText);
  auto* st = settle->add_subcommand("statement", "A payee's signed statement (or --csv)");
  st->add_option("RUN", run, "Run id")->required();
  st->add_option("PAYEE", payee, "Payee id")->required();
  st->add_flag("--csv", csv, "The CSV rendering instead of the signed JSON");
  st->add_option("--out", out,
                 "Write to this file instead of stdout (a name ending in .csv writes the CSV)");
  AddGlobalFlags(*st, ctx);
  st->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      if (out.size() > 4 && out.compare(out.size() - 4, 4, ".csv") == 0) csv = true;
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
