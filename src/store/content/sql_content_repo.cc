#include "store/content/content_repo.h"

namespace vt::store {
namespace {

class SqlContentRepo final : public ContentReader {
 public:
  explicit SqlContentRepo(Conn& conn) : conn_(conn) {}

  StatusOr<std::optional<ClaimSignerRow>> FindClaimSigner(std::string_view org_id,
                                                          std::string_view now) override {
    VT_ASSIGN_OR_RETURN(
        auto rows, conn_.Query("SELECT serial, ca_id, alg, cert_der, key_ref FROM certificates "
                               "WHERE org_id = ? AND profile = 'c2pa' AND status = 'good' "
                               "AND cert_der IS NOT NULL AND key_ref IS NOT NULL AND not_after > ? "
                               "ORDER BY created_at DESC, serial DESC LIMIT 1",
                               {std::string(org_id), std::string(now)}));
    if (rows.empty()) return std::optional<ClaimSignerRow>();
    const Row& r = rows[0];
    return std::optional<ClaimSignerRow>(
        ClaimSignerRow{r.Text(0), r.Text(1), r.Text(2), r.Bytes(3), r.Text(4)});
  }

  StatusOr<std::optional<ClaimSignerRow>> FindTsaSigner(std::string_view now) override {
    VT_ASSIGN_OR_RETURN(
        auto rows, conn_.Query("SELECT serial, ca_id, alg, cert_der, key_ref FROM certificates "
                               "WHERE profile = 'tsa' AND status = 'good' "
                               "AND cert_der IS NOT NULL AND key_ref IS NOT NULL AND not_after > ? "
                               "ORDER BY created_at DESC, serial DESC LIMIT 1",
                               {std::string(now)}));
    if (rows.empty()) return std::optional<ClaimSignerRow>();
    const Row& r = rows[0];
    return std::optional<ClaimSignerRow>(
        ClaimSignerRow{r.Text(0), r.Text(1), r.Text(2), r.Bytes(3), r.Text(4)});
  }

  StatusOr<CertStatusRow> GetCertStatus(std::string_view serial) override {
    VT_ASSIGN_OR_RETURN(
        Row r, conn_.QueryOne("SELECT serial, ca_id, profile, status, revoked_at, "
                              "revocation_reason, superseded_by, not_after FROM certificates "
                              "WHERE serial = ?",
                              {std::string(serial)}));
    return CertStatusRow{r.Text(0),    r.Text(1),    r.Text(2),    r.Text(3),
                         r.OptText(4), r.OptText(5), r.OptText(6), r.OptText(7).value_or("")};
  }

  StatusOr<CharacterFactsRow> GetCharacterFacts(std::string_view id) override {
    VT_ASSIGN_OR_RETURN(Row r, conn_.QueryOne("SELECT id, org_id, status, record FROM characters "
                                              "WHERE id = ?",
                                              {std::string(id)}));
    return CharacterFactsRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3)};
  }

  StatusOr<std::string> GetOrgName(std::string_view id) override {
    VT_ASSIGN_OR_RETURN(Row r,
                        conn_.QueryOne("SELECT name FROM orgs WHERE id = ?", {std::string(id)}));
    return r.Text(0);
  }

 private:
  Conn& conn_;
};

}  // namespace

std::unique_ptr<ContentReader> NewSqlContentRepo(Conn& conn) {
  return std::make_unique<SqlContentRepo>(conn);
}

}  // namespace vt::store
