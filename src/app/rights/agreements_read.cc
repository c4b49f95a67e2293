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
  Json j = {{"hash", hash},
            {"agreement_id", agreement_id},
            {"version", version},
            {"status", store::VersionStatusName(status)},
            {"effective_at", nullptr},
            {"created_at", created_at},
            {"log_index", nullptr},
            {"document", document}};
  AddSigningStatus(j, parties, signatures);
  if (effective_at) j["effective_at"] = *effective_at;
  if (log_index) j["log_index"] = *log_index;
  return j;
}

std::optional<std::string> AgreementRecord::in_force() const {
  for (const auto& v : versions)
    if (v.status == VersionStatus::kInForce) return v.hash;
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

StatusOr<AgreementVersion> VersionFromRow(const store::AgreementVersionRow& r) {
  AgreementVersion v;
  v.hash = r.hash;
  v.agreement_id = r.agreement_id;
  v.version = r.version;
  v.canonical = r.document;
  v.status = r.status;
  v.effective_at = r.effective_at;
  v.created_at = r.created_at;
  v.log_index = r.log_index;
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

StatusOr<std::vector<DocSignature>> LoadSignatures(store::RightsReader& repo,
                                                   const std::string& hash) {
  VT_ASSIGN_OR_RETURN(auto rows, repo.ListSignatures(hash));
  std::vector<DocSignature> out;
  for (auto& r : rows)
    out.push_back({r.signer_member, std::move(r.parties), r.cert_serial, Base64Encode(r.signature),
                   r.signed_at});
  return out;
}

StatusOr<AgreementVersion> InForceVersion(store::RightsReader& repo,
                                          const std::string& agreement_id) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindInForceVersion(agreement_id));
  if (!row) return NotFoundError("agreement " + agreement_id + " has no version in force");
  return VersionFromRow(*row);
}

StatusOr<AgreementVersion> InForceVersion(store::Conn& c, const std::string& agreement_id) {
  return InForceVersion(*store::NewSqlRightsRepo(c), agreement_id);
}

StatusOr<AgreementVersion> GetVersion(store::RightsReader& repo, const std::string& hash) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindAgreementVersion(hash));
  if (!row) return NotFoundError("no agreement version " + hash);
  return VersionFromRow(*row);
}

StatusOr<AgreementVersion> GetVersion(store::Conn& c, const std::string& hash) {
  return GetVersion(*store::NewSqlRightsRepo(c), hash);
}

}  // namespace vt::app
