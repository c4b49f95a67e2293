// WitnessWriter over SQL: the queries of witness_state.
#include <string>

#include "store/witness/witness_repo.h"

namespace vt::store {
namespace {

class SqlWitnessRepo final : public WitnessWriter {
 public:
  explicit SqlWitnessRepo(Conn& conn) : c_(conn) {}

  StatusOr<std::optional<WitnessStateRow>> FindState(std::string_view origin) override {
    auto row =
        c_.QueryOne("SELECT size, root FROM witness_state WHERE origin = ?", {std::string(origin)});
    if (!row.ok() && row.status().code() == StatusCode::kNotFound)
      return std::optional<WitnessStateRow>();
    if (!row.ok()) return std::move(row).status();
    return std::optional<WitnessStateRow>(WitnessStateRow{row->Int(0), row->Bytes(1)});
  }

  Status PutState(std::string_view origin, const WitnessStateRow& next) override {
    return c_
        .Exec(
            "INSERT INTO witness_state(origin, size, root) VALUES(?, ?, ?) "
            "ON CONFLICT (origin) DO UPDATE SET size = excluded.size, "
            "root = excluded.root",
            {std::string(origin), next.size, Blob{next.root}})
        .status();
  }

 private:
  Conn& c_;
};

}  // namespace

Status CreateWitnessSchema(Conn& conn) {
  return conn.ExecScript(
      "CREATE TABLE IF NOT EXISTS witness_state (origin TEXT PRIMARY KEY, "
      "size BIGINT NOT NULL, root BLOB NOT NULL)");
}

std::unique_ptr<WitnessWriter> NewSqlWitnessRepo(Conn& conn) {
  return std::make_unique<SqlWitnessRepo>(conn);
}

}  // namespace vt::store
