// Revenue import, settlement runs, the double-entry ledger, holds, corrections and
// signed statements on every storage backend (docs/settlement.md).
#include "app/money/settlements.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <sstream>

#include "app/money/revenue.h"
#include "app/money/revenue_csv.h"
#include "app/money/statements.h"
#include "base/encoding.h"
#include "crypto/digest.h"
#include "settlement/concert_testdata.h"
#include "store/money/ledger_bulk.h"
#include "store/store_testing.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

constexpr const char* kAgreement = "agr_concert";
constexpr const char* kWork = "concert:lumi-starlight-2025";

// A service on a database, an organization with a member, and the concert
// agreement in force (rows of migration 6 written directly: the signing flow is
// the agreements module's business).
struct World {
  std::filesystem::path dir;
  FakeClock clock{1'800'000'000'000};
  std::unique_ptr<Service> svc;
  Principal op, member, auditor, stranger;
  std::string org;
  std::unique_ptr<RevenueBook> book;
  std::unique_ptr<Settlements> runs;

  Principal As(const std::string& o, const std::string& name, Role role) {
    auto m = svc->AddMember(op, o, name, "", role);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    auto t = svc->CreateToken(op, o, m->value.id, "t", 0);
    return *svc->Authenticate(t->value.secret);
  }

  Status Open(std::unique_ptr<store::Database> db, const std::string& name) {
    static int counter = 0;
    dir = std::filesystem::path(::testing::TempDir()) /
          ("ledger_" + name + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    Config c;
    c.data_dir = dir.string();
    c.log_origin = "vtrust.test/log";
    VT_ASSIGN_OR_RETURN(svc, Service::OpenWith(c, std::move(db), clock, SystemRng::Get()));
    VT_ASSIGN_OR_RETURN(auto init, svc->Bootstrap());
    VT_ASSIGN_OR_RETURN(op, svc->Authenticate(init.token_secret));
    VT_ASSIGN_OR_RETURN(auto studio, svc->CreateOrg(op, "Nebula Studio", OrgKind::kStudio));
    VT_ASSIGN_OR_RETURN(auto other, svc->CreateOrg(op, "Other", OrgKind::kStudio));
    org = studio.value.id;
    member = As(org, "alice", Role::kMember);
    auditor = As(org, "audrey", Role::kAuditor);
    stranger = As(other.value.id, "bob", Role::kAdmin);
    book = std::make_unique<RevenueBook>(*svc, SystemRng::Get());
    runs = std::make_unique<Settlements>(*svc, SystemRng::Get());
    Json terms = Json::parse(settlement::testdata::kConcertAgreement);
    terms["id"] = kAgreement;
    Json doc = {{"type", "vtrust.agreement_version/1"},
                {"agreement", kAgreement},
                {"version", 1},
                {"previous", nullptr},
                {"work", nullptr},
                {"terms", terms},
                {"parties", Json::array()}};
    std::string canonical = *Canonicalize(doc);
    std::string hash = HexEncode(crypto::Sha256(canonical));
    return svc
        ->Write([&](WriteContext& ctx) -> Status {
          VT_RETURN_IF_ERROR(ctx.conn()
                                 .Exec("INSERT INTO agreements(id, org_id, title, created_at) "
                                       "VALUES(?,?,?,?)",
                                       {kAgreement, org, "concert", "2026-01-01T00:00:00Z"})
                                 .status());
          return ctx.conn()
              .Exec(
                  "INSERT INTO agreement_versions(hash, agreement_id, version, document, "
                  "status, created_at) VALUES(?,?,1,?,'in_force',?)",
                  {hash, kAgreement, canonical, "2026-01-01T00:00:00Z"})
              .status();
        })
        .status();
  }
  void Close() {
    runs.reset();
    book.reset();
    svc.reset();
    std::filesystem::remove_all(dir);
  }
  int64_t Count(const std::string& table) {
    return *svc->Read<int64_t>([&](store::Conn& c) -> StatusOr<int64_t> {
      VT_ASSIGN_OR_RETURN(auto r, c.QueryOne("SELECT COUNT(*) FROM " + table));
      return r.Int(0);
    });
  }
  int64_t LogSize() { return svc->log().Published().size; }
};

RevenueLine Line(const std::string& key, int64_t amount, const std::string& period,
                 const std::string& channel = "ticketing") {
  return {key, kWork, amount, "CNY", "CN", channel, period, "ext-" + key};
}

// Ticket sales of the concert over two periods (docs/settlement.md's example
// amounts are in concert_test.cc; here a mix with a refund).
std::vector<RevenueLine> ConcertLines() {
  std::vector<RevenueLine> v;
  for (int i = 0; i < 40; ++i)
    v.push_back(Line("t07-" + std::to_string(i), 1'000'000 + 12'345 * i, "2025-07"));
  v.push_back(Line("t07-refund", -1'012'345, "2025-07"));
  for (int i = 0; i < 30; ++i)
    v.push_back(Line("t08-" + std::to_string(i), 2'500'000 + 777 * i, "2025-08",
                     i % 2 ? "streaming" : "ticketing"));
  v.push_back(Line("t08-out-of-scope", 999'999, "2025-08", "merch"));
  return v;
}

class LedgerTest : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    VT_ASSERT_OK(w_.Open(store::BorrowDatabase(db()), "a"));
  }
  void TearDown() override {
    w_.Close();
    BackendTest::TearDown();
  }
  RunRecord Run(const std::string& period, bool correction = false) {
    auto r = w_.runs->Run(w_.member, kAgreement, period, correction);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->value : RunRecord{};
  }
  void ImportAll(const std::vector<RevenueLine>& lines) {
    auto r = w_.book->Import(w_.member, lines);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  World w_;
};

TEST_P(LedgerTest, ReplayedLinesAreRecognizedNotCounted) {
  auto lines = ConcertLines();
  auto first = w_.book->Import(w_.member, lines);
  VT_ASSERT_OK(first);
  EXPECT_EQ(first->value.imported, lines.size());
  EXPECT_EQ(first->receipts.size(), 1u);  // one revenue.imported entry per batch
  int64_t log = w_.LogSize();
  auto again = w_.book->Import(w_.member, lines);
  VT_ASSERT_OK(again);
  EXPECT_EQ(again->value.imported, 0u);
  EXPECT_EQ(again->value.duplicates.size(), lines.size());
  EXPECT_TRUE(again->receipts.empty());
  EXPECT_EQ(w_.LogSize(), log);
  EXPECT_EQ(w_.Count("revenue_lines"), int64_t(lines.size()));
  // Same key, different content: 409 naming the line, nothing written.
  auto changed = lines;
  changed[3].amount += 1;
  auto conflict = w_.book->Import(w_.member, {Line("new-one", 5, "2025-07"), changed[3]});
  VT_EXPECT_CODE(conflict, StatusCode::kAlreadyExists);
  EXPECT_EQ(conflict.status().field(), "lines[1].idempotency_key");
  EXPECT_EQ(w_.Count("revenue_lines"), int64_t(lines.size()));
  // A replayed line settles once.
  RunRecord r = Run("2025-07");
  EXPECT_EQ(r.line_count, 41);
}

// Bulk writes (ledger_sql.h): more lines than one multi-row INSERT holds, text
// that needs quoting in a PostgreSQL array literal, and a replay of part of the
// request recognized by the set-based check.
TEST_P(LedgerTest, BulkImportRoundTripsAwkwardTextAndRecognizesReplays) {
  std::vector<RevenueLine> lines;
  const std::vector<std::string> refs = {"a\"b\\c,{x}", "NULL", "", " spaced ", "\xe6\x9d\x8e"};
  for (size_t i = 0; i < 2 * store::kBulkRows + 7; ++i) {
    RevenueLine l = Line("bulk-" + std::to_string(i), int64_t(i) + 1, "2025-07");
    l.external_ref = refs[i % refs.size()];
    lines.push_back(l);
  }
  auto first = w_.book->Import(w_.member, lines);
  VT_ASSERT_OK(first);
  EXPECT_EQ(first->value.imported, lines.size());
  auto stored = w_.svc->Read<std::vector<RevenueLine>>([&](store::Conn& c) {
    return store::NewSqlMoneyRepo(c)->LinesOfPeriod(w_.org, kWork, "2025-07", 1 << 30);
  });
  VT_ASSERT_OK(stored);
  auto want = lines;
  std::sort(want.begin(), want.end(), [](const RevenueLine& a, const RevenueLine& b) {
    return a.idempotency_key < b.idempotency_key;
  });
  EXPECT_EQ(*stored, want);
  // Replay the last 600 lines plus 3 new ones: the replayed keys are duplicates.
  std::vector<RevenueLine> again(lines.end() - 600, lines.end());
  for (int i = 0; i < 3; ++i) again.push_back(Line("bulk-new-" + std::to_string(i), 9, "2025-07"));
  auto second = w_.book->Import(w_.member, again);
  VT_ASSERT_OK(second);
  EXPECT_EQ(second->value.imported, 3u);
  EXPECT_EQ(second->value.duplicates.size(), 600u);
  EXPECT_EQ(w_.Count("revenue_lines"), int64_t(lines.size() + 3));
  // A changed line deep in a later chunk is still a conflict.
  again[550].external_ref += "!";
  VT_EXPECT_CODE(w_.book->Import(w_.member, again), StatusCode::kAlreadyExists);
}

TEST(LedgerSqlTest, PostgresArrayLiterals) {
  EXPECT_EQ(store::PgTextArray({}), "{}");
  EXPECT_EQ(store::PgTextArray({"a", std::nullopt, "", "NULL", "x\"y\\z,{}"}),
            "{\"a\",NULL,\"\",\"NULL\",\"x\\\"y\\\\z,{}\"}");
  EXPECT_EQ(store::PgIntArray({1, -2, INT64_MAX}), "{1,-2,9223372036854775807}");
  EXPECT_EQ(store::RowPlaceholders(3, "(?,?)"), "(?,?),(?,?),(?,?)");
  EXPECT_EQ(store::RowPlaceholders(0, "(?)"), "");
}

TEST_P(LedgerTest, BadLinesAreRefusedAndNothingIsWritten) {
  auto bad_currency = ConcertLines();
  bad_currency[3].currency = "XYZ";
  auto s = w_.book->Import(w_.member, bad_currency);
  VT_EXPECT_CODE(s, StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().field(), "lines[3].currency");
  auto overflow = ConcertLines();
  overflow[5].amount = settlement::kMaxAmount + 1;
  s = w_.book->Import(w_.member, overflow);
  EXPECT_NE(s.status().code(), StatusCode::kOk);
  EXPECT_EQ(s.status().field(), "lines[5].amount");
  auto bad_period = ConcertLines();
  bad_period[7].period = "2025-13";
  s = w_.book->Import(w_.member, bad_period);
  EXPECT_EQ(s.status().field(), "lines[7].period");
  VT_EXPECT_CODE(w_.book->Import(w_.auditor, ConcertLines()), StatusCode::kPermissionDenied);
  EXPECT_EQ(w_.Count("revenue_lines"), 0);
  EXPECT_EQ(w_.Count("revenue_batches"), 0);
}

TEST_P(LedgerTest, RunsAreBalancedAndStatementsSumToTheFen) {
  ImportAll(ConcertLines());
  int64_t log = w_.LogSize();
  auto w = w_.runs->Run(w_.member, kAgreement, "2025-07", false);
  VT_ASSERT_OK(w);
  RunRecord jul = w->value;
  // settlement.run + one statement.issued per payee.
  EXPECT_EQ(w->receipts.size(), 1 + jul.summary["payees"].size());
  EXPECT_EQ(w_.LogSize(), log + int64_t(w->receipts.size()));
  RunRecord aug = Run("2025-08");
  for (const RunRecord* r : {&jul, &aug}) {
    auto ledger = w_.runs->Ledger(w_.member, r->id);
    VT_ASSERT_OK(ledger);
    const Json& b = (*ledger)["balances"];
    EXPECT_EQ(b[CollectionAccount(kAgreement, "CNY").id], 0);
    EXPECT_EQ(b[RevenueAccount(kAgreement, "CNY").id], -r->net_receipts);
    int64_t payable = 0, statements = 0;
    for (const auto& [acct, bal] : b.items())
      if (acct.rfind("payable:", 0) == 0) payable += bal.get<int64_t>();
    EXPECT_EQ(payable, r->net_receipts);
    for (const auto& p : r->summary["payees"]) {
      auto env = w_.runs->StatementEnvelope(w_.member, r->id, p["id"]);
      VT_ASSERT_OK(env);
      int64_t items = 0;
      for (const auto& i : (*env)["statement"]["items"]) items += i["amount"].get<int64_t>();
      EXPECT_EQ(items, (*env)["statement"]["total"]["amount"].get<int64_t>());
      statements += items;
    }
    EXPECT_EQ(statements, r->net_receipts) << r->period;
  }
  EXPECT_EQ(aug.line_count, 31);  // counted in: the merch line too (out of scope, pays nothing)
  // Settled periods are refused; earlier periods cannot be corrected any more.
  VT_EXPECT_CODE(w_.runs->Run(w_.member, kAgreement, "2025-08", false), StatusCode::kAlreadyExists);
  VT_EXPECT_CODE(w_.runs->Run(w_.member, kAgreement, "2025-07", true),
                 StatusCode::kFailedPrecondition);
  VT_EXPECT_CODE(w_.runs->Run(w_.member, kAgreement, "2025-09", true),
                 StatusCode::kFailedPrecondition);
  VT_EXPECT_CODE(w_.runs->Run(w_.auditor, kAgreement, "2025-09", false),
                 StatusCode::kPermissionDenied);
  VT_EXPECT_CODE(w_.runs->Run(w_.stranger, kAgreement, "2025-09", false), StatusCode::kNotFound);
  VT_EXPECT_CODE(w_.runs->Run(w_.member, kAgreement, "2025-9", false),
                 StatusCode::kInvalidArgument);
}

TEST_P(LedgerTest, LedgerRowsAreImmutable) {
  ImportAll(ConcertLines());
  RunRecord r = Run("2025-07");
  auto c = NewConn();
  auto before = c->QueryOne("SELECT COUNT(*), SUM(amount) FROM ledger_transfers");
  VT_ASSERT_OK(before);
  EXPECT_FALSE(c->Exec("UPDATE ledger_transfers SET amount = amount + 1").ok());
  EXPECT_FALSE(c->Exec("DELETE FROM ledger_transfers WHERE run_id = ?", {r.id}).ok());
  EXPECT_FALSE(c->Exec("UPDATE ledger_accounts SET payee = 'mallory'").ok());
  EXPECT_FALSE(c->Exec("DELETE FROM ledger_accounts").ok());
  auto after = c->QueryOne("SELECT COUNT(*), SUM(amount) FROM ledger_transfers");
  VT_ASSERT_OK(after);
  EXPECT_EQ(before->Int(0), after->Int(0));
  EXPECT_EQ(before->Int(1), after->Int(1));
  EXPECT_GT(after->Int(0), 0);
}

TEST_P(LedgerTest, CorrectionPostsReversingEntries) {
  ImportAll(ConcertLines());
  RunRecord old = Run("2025-07");
  ImportAll({Line("late-sale", 3'000'000, "2025-07")});
  auto w = w_.runs->Run(w_.member, kAgreement, "2025-07", true);
  VT_ASSERT_OK(w);
  RunRecord fix = w->value;
  EXPECT_EQ(fix.corrects, old.id);
  EXPECT_EQ(fix.net_receipts, old.net_receipts + 3'000'000);
  EXPECT_EQ(w_.runs->Get(w_.member, old.id)->status, RunStatus::kCorrected);
  auto ledger = w_.runs->Ledger(w_.member, fix.id);
  VT_ASSERT_OK(ledger);
  auto old_ledger = w_.runs->Ledger(w_.member, old.id);
  size_t reversals = 0;
  for (const auto& t : (*ledger)["transfers"])
    if (t["kind"] == "reversal") ++reversals;
  EXPECT_EQ(reversals, (*old_ledger)["transfers"].size());
  // Old + correction: every account ends where the new run alone would put it.
  const Json& b = (*ledger)["balances"];
  const Json& ob = (*old_ledger)["balances"];
  for (const auto& p : fix.summary["payees"]) {
    std::string acct = PayableAccount(kAgreement, p["id"], "CNY").id;
    EXPECT_EQ(ob.value(acct, int64_t{0}) + b.value(acct, int64_t{0}), p["amount"].get<int64_t>())
        << acct;
  }
  EXPECT_EQ(b[CollectionAccount(kAgreement, "CNY").id], 0);
  // The correction is now the latest: the next period builds on it.
  RunRecord aug = Run("2025-08");
  EXPECT_EQ(aug.summary["receipts"]["cumulative"].get<int64_t>(),
            fix.net_receipts + aug.net_receipts);
}

TEST_P(LedgerTest, HoldAndReleaseMoveThePayeesShare) {
  ImportAll(ConcertLines());
  RunRecord r = Run("2025-07");
  std::string pay = PayableAccount(kAgreement, "voice", "CNY").id;
  std::string hold = HoldAccount(kAgreement, "voice", "CNY").id;
  int64_t amount = (*w_.runs->Ledger(w_.member, r.id))["balances"][pay];
  ASSERT_GT(amount, 0);
  auto h = w_.runs->Hold(w_.member, r.id, "voice", "contract dispute");
  VT_ASSERT_OK(h);
  EXPECT_EQ(h->receipts.size(), 1u);
  Json b = (*w_.runs->Ledger(w_.member, r.id))["balances"];
  EXPECT_EQ(b[pay], 0);
  EXPECT_EQ(b[hold], amount);
  VT_EXPECT_CODE(w_.runs->Hold(w_.member, r.id, "voice", "again"), StatusCode::kAlreadyExists);
  VT_EXPECT_CODE(w_.runs->Hold(w_.member, r.id, "nobody", "x"), StatusCode::kNotFound);
  VT_EXPECT_CODE(w_.runs->Hold(w_.auditor, r.id, "voice", "x"), StatusCode::kPermissionDenied);
  VT_ASSERT_OK(w_.runs->Release(w_.member, r.id, "voice"));
  b = (*w_.runs->Ledger(w_.member, r.id))["balances"];
  EXPECT_EQ(b[pay], amount);
  EXPECT_EQ(b[hold], 0);
  VT_EXPECT_CODE(w_.runs->Release(w_.member, r.id, "voice"), StatusCode::kFailedPrecondition);
}

TEST_P(LedgerTest, VerifyRecomputesAndDetectsAOneByteChange) {
  ImportAll(ConcertLines());
  Run("2025-07");
  RunRecord aug = Run("2025-08");
  auto env = w_.runs->StatementEnvelope(w_.member, aug.id, "choreo");
  VT_ASSERT_OK(env);
  auto key_json = w_.runs->StatementKeyJson();
  VT_ASSERT_OK(key_json);
  auto key = crypto::PublicKey::FromPem((*key_json)["public_key_pem"].get<std::string>());
  VT_ASSERT_OK(key);
  auto bytes = CheckSignedStatement(*env, *key);
  VT_ASSERT_OK(bytes);
  auto version = ParseVersionDocument(*w_.runs->VersionDocument(w_.member, aug.id));
  VT_ASSERT_OK(version);
  std::istringstream csv(*w_.runs->LinesCsv(w_.member, aug.id));
  RevenueCsvReader reader(csv);
  std::vector<RevenueLine> lines;
  RevenueLine l;
  while (*reader.Next(&l)) lines.push_back(l);
  EXPECT_EQ(lines.size(), 72u);  // both periods, the merch line included (out of scope)
  auto again = RecomputeStatement(*version, lines, "2025-08", "choreo");
  VT_ASSERT_OK(again);
  EXPECT_EQ(*again, *bytes);
  // One byte changed in the file: the signature (or the sha256) no longer holds.
  std::string text = env->dump();
  size_t at = text.find("\"amount\":") + 9;
  text[at] = text[at] == '1' ? '2' : '1';
  auto tampered = CheckSignedStatement(Json::parse(text), *key);
  EXPECT_FALSE(tampered.ok());
  // A line changed: the recomputation differs.
  lines[0].amount += 1;
  EXPECT_NE(*RecomputeStatement(*version, lines, "2025-08", "choreo"), *bytes);
}

TEST_P(LedgerTest, StatementsDoNotDependOnHowLinesWereBatched) {
  auto lines = ConcertLines();
  ImportAll(lines);
  // The same lines on a second database: shuffled, in requests of 1..7 lines, with
  // replays mixed in.
  auto db2 = GetParam().create_fresh();
  VT_ASSERT_OK(db2);
  World w2;
  VT_ASSERT_OK(w2.Open(store::BorrowDatabase(**db2), "b"));
  std::mt19937 rng(7);
  std::shuffle(lines.begin(), lines.end(), rng);
  for (size_t at = 0; at < lines.size();) {
    size_t n = std::min<size_t>(1 + rng() % 7, lines.size() - at);
    std::vector<RevenueLine> chunk(lines.begin() + at, lines.begin() + at + n);
    if (at > 0) chunk.push_back(lines[at - 1]);  // a replay
    VT_ASSERT_OK(w2.book->Import(w2.member, chunk));
    at += n;
  }
  for (const char* period : {"2025-07", "2025-08"}) {
    RunRecord a = Run(period);
    auto b = w2.runs->Run(w2.member, kAgreement, period, false);
    VT_ASSERT_OK(b);
    EXPECT_EQ(a.lines_sha256, b->value.lines_sha256);
    for (const auto& p : a.summary["payees"]) {
      auto sa = w_.runs->StatementEnvelope(w_.member, a.id, p["id"]);
      auto sb = w2.runs->StatementEnvelope(w2.member, b->value.id, p["id"]);
      VT_ASSERT_OK(sa);
      VT_ASSERT_OK(sb);
      EXPECT_EQ(*Canonicalize((*sa)["statement"]), *Canonicalize((*sb)["statement"]));
      EXPECT_EQ((*sa)["sha256"], (*sb)["sha256"]);
    }
  }
  w2.Close();
}

TEST(RevenueCsvTest, NamesRowAndColumn) {
  std::istringstream in(std::string(kRevenueCsvHeader) +
                        "\nk1,w,100,CNY,CN,ticketing,2025-07,\n\"k2\",w,-5,CNY,CN,ticketing,"
                        "2025-07,\"a \"\"quoted\"\" ref\"\nk3,w,12x,CNY,CN,ticketing,2025-07,\n");
  RevenueCsvReader r(in);
  RevenueLine l;
  auto first = r.Next(&l);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(*first);
  EXPECT_EQ(l.amount, 100);
  auto second = r.Next(&l);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(*second);
  EXPECT_EQ(l.idempotency_key, "k2");
  EXPECT_EQ(l.external_ref, "a \"quoted\" ref");
  auto bad = r.Next(&l);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "row 3, column amount_minor");
  std::istringstream cur(std::string(kRevenueCsvHeader) + "\nk1,w,1,EUX,CN,ticketing,2025-07,\n");
  RevenueCsvReader r2(cur);
  EXPECT_EQ(r2.Next(&l).status().field(), "row 1, column currency");
  std::istringstream hdr("key,amount\n");
  RevenueCsvReader r3(hdr);
  EXPECT_FALSE(r3.Next(&l).ok());
}

// The reads of payees and lists, and the work check of imports, on every
// backend (the SQL of each dialect: JSON of stored documents, sums as text).
TEST_P(LedgerTest, PayeeReadsListsAndKnownWorks) {
  std::vector<RevenueLine> typo = {Line("typo", 5, "2025-07")};
  typo[0].work = "wrk_typo";
  auto refused = w_.book->Import(w_.member, typo);
  VT_EXPECT_CODE(refused, StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "lines[0].work");
  auto named = w_.book->Import(w_.member, {Line("named", 7, "2025-07")}, {kAgreement});
  VT_ASSERT_OK(named);
  ImportAll(ConcertLines());
  RunRecord jul = Run("2025-07");
  RunRecord aug = Run("2025-08");

  auto listed = w_.runs->List(w_.member, kAgreement);
  VT_ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, jul.id);
  EXPECT_TRUE(w_.runs->List(w_.stranger, "")->empty());

  // The concert's payee "voice" (as a member id) reads its two statements.
  Principal voice = w_.stranger;
  voice.member_id = "voice";
  auto mine = w_.runs->StatementsOf(voice, "me");
  VT_ASSERT_OK(mine);
  ASSERT_EQ((*mine)["statements"].size(), 2u) << mine->dump();
  EXPECT_EQ((*mine)["statements"][1]["run"], aug.id);
  EXPECT_EQ((*mine)["statements"][1]["cumulative"].get<int64_t>(),
            (*mine)["statements"][0]["amount"].get<int64_t>() +
                (*mine)["statements"][1]["amount"].get<int64_t>());
  VT_EXPECT_CODE(w_.runs->StatementsOf(voice, "studio"), StatusCode::kPermissionDenied);

  auto full = w_.runs->Get(w_.member, aug.id);
  VT_ASSERT_OK(full);
  EXPECT_EQ(full->unsettled["out_of_scope"]["lines"], 1) << full->unsettled.dump();
  EXPECT_EQ(full->unsettled["out_of_scope"]["amount"], 999'999);
  EXPECT_TRUE(full->unsettled["unmatched"].empty()) << full->unsettled.dump();

  auto revenue = w_.book->List(w_.member, "", "", "");
  VT_ASSERT_OK(revenue);
  const Json& totals = (*revenue)["totals"];
  ASSERT_EQ(totals.size(), 2u) << revenue->dump();
  int64_t july = 7;  // the line filed by naming the agreement
  for (const RevenueLine& l : ConcertLines())
    if (l.period == "2025-07") july += l.amount;
  EXPECT_EQ(totals[0]["period"], "2025-07");
  EXPECT_EQ(totals[0]["amount"], july);
  EXPECT_EQ(totals[0]["lines"], 42);
  auto limited = w_.book->List(w_.member, kWork, "2025-08", "5");
  VT_ASSERT_OK(limited);
  EXPECT_EQ((*limited)["lines"].size(), 5u);
  EXPECT_EQ((*limited)["truncated"], true);
  VT_EXPECT_CODE(w_.book->List(w_.member, "", "", "0"), StatusCode::kInvalidArgument);
}

// Spreadsheet programs write a UTF-8 byte order mark first: it is not the header's.
TEST(RevenueCsvTest, SkipsAByteOrderMark) {
  std::istringstream in("\xEF\xBB\xBF" + std::string(kRevenueCsvHeader) +
                        "\r\nk1,w,100,CNY,CN,ticketing,2025-07,\r\n");
  RevenueCsvReader r(in);
  RevenueLine l;
  auto first = r.Next(&l);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(*first);
  EXPECT_EQ(l.idempotency_key, "k1");
  // Only before the header: a mark inside a data row stays data (and is refused).
  std::istringstream late(std::string(kRevenueCsvHeader) +
                          "\n\xEF\xBB\xBFk1,w,100,CNY,CN,ticketing,2025-07,\n");
  RevenueCsvReader r2(late);
  EXPECT_EQ(r2.Next(&l).status().field(), "row 1, column idempotency_key");
}

VT_INSTANTIATE_BACKEND_TEST(LedgerTest);

}  // namespace
}  // namespace vt::app
