// TestBackends(): fresh SQLite files and fresh PostgreSQL databases for the
// conformance tests (store/store_testing.h).
#include "store/store_testing.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/encoding.h"
#include "base/rng.h"
#include "store/sql_internal.h"

namespace vt::store {
namespace {

// Wraps a test database and deletes it after the last use.
class ScratchDatabase final : public Database {
 public:
  ScratchDatabase(std::unique_ptr<Database> inner, std::function<void()> cleanup)
      : inner_(std::move(inner)), cleanup_(std::move(cleanup)) {}
  ~ScratchDatabase() override {
    inner_.reset();
    cleanup_();
  }
  Dialect dialect() const override { return inner_->dialect(); }
  StatusOr<std::unique_ptr<Conn>> Connect() override { return inner_->Connect(); }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::unique_ptr<Database> inner_;
  std::function<void()> cleanup_;
};

StatusOr<std::unique_ptr<Database>> FreshSqlite() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/vt-sqlite-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return InternalError("mkdtemp failed for " + tmpl);
  std::string dir = tmpl;
  auto remove = [dir] {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  };
  auto db = OpenSqlite(dir + "/test.db");
  if (!db.ok()) {
    remove();
    return db.status();
  }
  return std::unique_ptr<Database>(
      std::make_unique<ScratchDatabase>(std::move(db).value(), remove));
}

// Runs one statement on the database named by VTRUST_TEST_PG.
Status AdminExec(const std::string& admin_conninfo, const std::string& sql) {
  VT_ASSIGN_OR_RETURN(std::unique_ptr<Database> admin, OpenPostgres(admin_conninfo));
  VT_ASSIGN_OR_RETURN(std::unique_ptr<Conn> conn, admin->Connect());
  return conn->Exec(sql).status();
}

// A fresh schema vt_<random> in the VTRUST_TEST_PG database, used as the search_path
// of every connection. (A schema costs milliseconds; CREATE DATABASE copies and
// fsyncs a template, about a second per test on a loaded machine.)
StatusOr<std::unique_ptr<Database>> FreshPostgres(const std::string& admin_conninfo) {
  uint8_t raw[8];
  SystemRng::Get().Fill(raw, sizeof raw);
  std::string name = "vt_" + HexEncode(std::string(reinterpret_cast<char*>(raw), sizeof raw));
  VT_ASSIGN_OR_RETURN(std::string conninfo, internal::PostgresWithSearchPath(admin_conninfo, name));
  VT_RETURN_IF_ERROR(AdminExec(admin_conninfo, "CREATE SCHEMA " + name));
  auto drop = [admin_conninfo, name] {
    Status s = AdminExec(admin_conninfo, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    if (!s.ok()) {
      std::fprintf(stderr, "dropping test schema %s: %s\n", name.c_str(), s.ToString().c_str());
    }
  };
  auto db = OpenPostgres(conninfo);
  if (!db.ok()) {
    drop();
    return db.status();
  }
  return std::unique_ptr<Database>(std::make_unique<ScratchDatabase>(std::move(db).value(), drop));
}

}  // namespace

std::vector<BackendParam> TestBackends() {
  std::vector<BackendParam> backends;
  backends.push_back({"sqlite", &FreshSqlite, ""});
  const char* pg = std::getenv("VTRUST_TEST_PG");
  const char* require = std::getenv("VTRUST_REQUIRE_PG");
  if (pg != nullptr && *pg != '\0') {
    std::string conninfo = pg;
    backends.push_back({"postgres", [conninfo] { return FreshPostgres(conninfo); }, ""});
  } else if (require != nullptr && std::string(require) == "1") {
    backends.push_back({"postgres", nullptr,
                        "VTRUST_REQUIRE_PG=1 but VTRUST_TEST_PG is not set: run the tests "
                        "under scripts/with-postgres.sh"});
  }
  return backends;
}

}  // namespace vt::store
