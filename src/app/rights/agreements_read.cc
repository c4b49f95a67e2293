// Agreement reads: rows to AgreementVersion, the JSON forms, InForceVersion and
// GetVersion (the interface settlement runs read agreements through).
#include "app/rights/agreements.h"
#include "app/rights/agreements_internal.h"

namespace vt::app {

Json DocSignature::ToJson() const {
  return {{"signer_member", signer_member},
          {"parties", parties},
          {"cert_serial", cert_serial},
          {"signature", signature_b64},
          {"signed_at", signed_at}};
}

void AddSigningStatus(Json& j, const std::vector<std::string>& parties,
                      const std::vector<DocSignature>& signatures) {
  Json sigs = Json::array();
  std::vector<std::string> missing = parties;
  for (const auto& s : signatures) {
    sigs.push_back(s.ToJson());
    for (const auto& party : s.parties) std::erase(missing, party);
  }
  j["parties"] = parties;
  j["awaiting"] = missing;
  j["signatures"] = sigs;
}

Json AgreementVersion::ToJson() const {
  Json j = {{"hash", hash},         {"agreement_id", agreement_id}, {"version", version},
            {"status", status},     {"effective_at", nullptr},      {"created_at", created_at},
            {"log_index", nullptr}, {"document", document}};
  AddSigningStatus(j, parties, signatures);
  if (effective_at) j["effective_at"] = *effective_at;
  if (log_index) j["log_index"] = *log_index;
  return j;
}

std::optional<std::string> AgreementRecord::in_force() const {
  for (const auto& v : versions)
    if (v.status == "in_force") return v.hash;
  return std::nullopt;
}

Json AgreementRecord::ToJson() const {
  Json vs = Json::array();
  for (const auto& v : versions) vs.push_back(v.ToJson());
  Json j = {{"id", id},       {"org_id", org_id},         {"work_id", nullptr},
            {"title", title}, {"created_at", created_at}, {"in_force", nullptr},
            {"versions", vs}};
  if (work_id) j["work_id"] = *work_id;
  if (auto h = in_force()) j["in_force"] = *h;
  return j;
}

StatusOr<AgreementVersion> VersionFromRow(const store::Row& r) {
  AgreementVersion v;
  v.hash = r.Text(0);
  v.agreement_id = r.Text(1);
  v.version = r.Int(2);
  v.canonical = r.Text(3);
  v.status = r.Text(4);
  v.effective_at = r.OptText(5);
  v.created_at = r.Text(6);
  v.log_index = r.OptInt(7);
  auto doc = ParseJsonStrict(v.canonical);
  if (!doc.ok()) return InternalError("agreement version " + v.hash + " is corrupt");
  v.document = std::move(*doc);
  auto terms = settlement::Agreement::FromJson(v.document.value("terms", Json()));
  if (!terms.ok())
    return InternalError("agreement version " + v.hash +
                         " has unreadable terms: " + terms.status().message());
  v.terms = std::move(*terms);
  for (const auto& p : v.document.value("parties", Json::array()))
    if (p.is_string()) v.parties.push_back(p.get<std::string>());
  return v;
}

StatusOr<std::vector<DocSignature>> LoadSignatures(store::Conn& c, const std::string& hash) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      c.Query("SELECT signer_member, parties, cert_serial, signature, signed_at "
                              "FROM signatures WHERE document_hash = ? ORDER BY signed_at, "
                              "signer_member",
                              {hash}));
  std::vector<DocSignature> out;
  for (const auto& r : rows) {
    DocSignature s{r.Text(0), {}, r.Text(2), Base64Encode(r.Bytes(3)), r.Text(4)};
    auto parties = ParseJsonStrict(r.Text(1));
    if (!parties.ok() || !parties->is_array())
      return InternalError("signature record of " + hash + " is corrupt");
    for (const auto& p : *parties) s.parties.push_back(p.get<std::string>());
    out.push_back(std::move(s));
  }
  return out;
}

StatusOr<AgreementVersion> InForceVersion(store::Conn& c, const std::string& agreement_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kVersionCols +
                                             " FROM agreement_versions WHERE agreement_id = ? AND "
                                             "status = 'in_force'",
                                         {agreement_id}));
  if (rows.empty()) return NotFoundError("agreement " + agreement_id + " has no version in force");
  return VersionFromRow(rows[0]);
}

StatusOr<AgreementVersion> GetVersion(store::Conn& c, const std::string& hash) {
  VT_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kVersionCols +
                                             " FROM agreement_versions WHERE hash = ?",
                                         {hash}));
  if (rows.empty()) return NotFoundError("no agreement version " + hash);
  return VersionFromRow(rows[0]);
}

}  // namespace vt::app
