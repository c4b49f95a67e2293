// OpeningWriter over SQL (both dialects).
#include "store/log/opening_repo.h"

namespace vt::store {
namespace {

class SqlOpeningRepo final : public OpeningWriter {
 public:
  explicit SqlOpeningRepo(Conn& conn) : c_(conn) {}

  StatusOr<std::optional<LogOpeningRow>> FindOpening(const std::string& commitment) override {
    auto row = c_.QueryOne(
        "SELECT commitment, org_id, party, entry_type, field, salt, value, created_at "
        "FROM log_openings WHERE commitment = ?",
        {commitment});
    if (!row.ok() && row.status().code() == StatusCode::kNotFound) return std::nullopt;
    VT_RETURN_IF_ERROR(row.status());
    return LogOpeningRow{row->Text(0), row->Text(1), row->Text(2), row->Text(3),
                         row->Text(4), row->Text(5), row->Text(6), row->Text(7)};
  }

  Status InsertOpening(const LogOpeningRow& r) override {
    return c_
        .Exec(
            "INSERT INTO log_openings(commitment, org_id, party, entry_type, field, salt, "
            "value, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
            {r.commitment, r.org_id, r.party, r.entry_type, r.field, r.salt_hex, r.value,
             r.created_at})
        .status();
  }

 private:
  Conn& c_;
};

}  // namespace

std::unique_ptr<OpeningWriter> NewSqlOpeningRepo(Conn& conn) {
  return std::make_unique<SqlOpeningRepo>(conn);
}

}  // namespace vt::store
