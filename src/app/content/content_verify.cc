// ContentDesk::Verify and the JSON contract of content verification
// (docs/c2pa.md, "Verifying in vtrust").
#include "app/content/content_desk.h"

#include "app/identity/pki.h"
#include "app/log/transparency_log.h"
#include "base/encoding.h"
#include "store/content/content_repo.h"
#include "x509/cert.h"
#include "x509/ocsp.h"
#include "x509/ocsp_client.h"

namespace vt::app {
namespace {

c2pa::VerifyOptions Options(const std::vector<std::string>& roots_der, TimePoint now) {
  c2pa::VerifyOptions o;
  o.trust_anchors_der = roots_der;
  o.identity_trust_anchors_der = roots_der;
  o.now = now;
  o.check_ocsp = [now](std::string_view ocsp, std::string_view cert, std::string_view issuer) {
    auto info = x509::InspectCertificate(cert);
    if (!info.ok() || issuer.empty()) return c2pa::OcspStatus::kUnknown;
    // A stapled response is checked as of when it was made (its thisUpdate):
    // it tells the signer's status at signing time. The registry's current
    // view is ContentDesk::Verify's (the database), not the staple's.
    auto made = x509::OcspThisUpdate(ocsp);
    if (!made.ok()) return c2pa::OcspStatus::kUnknown;
    auto st = x509::VerifyOcspResponse(ocsp, issuer, info->serial_hex, std::min(*made, now));
    if (!st.ok()) return c2pa::OcspStatus::kUnknown;
    switch (st->status.state) {
      case x509::OcspCertState::kGood:
        return c2pa::OcspStatus::kGood;
      case x509::OcspCertState::kRevoked:
        return c2pa::OcspStatus::kRevoked;
      default:
        return c2pa::OcspStatus::kUnknown;
    }
  };
  return o;
}

void AddStatus(Json& out, const std::string& code, const std::string& explanation, bool success) {
  out["statuses"].push_back(
      {{"code", code}, {"url", ""}, {"explanation", explanation}, {"success", success}});
}

Json CertStatusJson(const store::CertStatusRow& row) {
  Json j = {{"serial", row.serial}, {"status", row.status}};
  if (row.revoked_at) j["revoked_at"] = *row.revoked_at;
  if (row.revocation_reason) j["reason"] = *row.revocation_reason;
  return j;
}

}  // namespace

Json VerifyReportToJson(const c2pa::VerifyReport& r) {
  Json j = {{"verdict", std::string(c2pa::VerdictName(r.verdict))}};
  Json statuses = Json::array();
  for (const auto& s : r.statuses)
    statuses.push_back(
        {{"code", s.code}, {"url", s.url}, {"explanation", s.explanation}, {"success", s.success}});
  j["statuses"] = statuses;
  if (r.verdict == c2pa::Verdict::kNoManifest) return j;
  j["manifest"] = r.manifest_label;
  j["title"] = r.title;
  j["claim_generator"] = r.claim_generator;
  Json registry =
      r.registry_json.empty() ? Json::object() : Json::parse(r.registry_json, nullptr, false);
  if (!registry.is_object()) registry = Json::object();
  j["character"] = {{"id", registry.value("character_id", "")}};
  j["producer"] = {{"org_id", registry.value("org_id", "")}, {"signer", r.signer_subject}};
  j["identity"] = r.identity_subject.empty() ? Json(nullptr) : Json(r.identity_subject);
  Json works = Json::array();
  for (const auto& i : r.ingredients)
    works.push_back(
        {{"id", i.work_id}, {"title", i.title}, {"sha256", HexEncode(i.content_sha256)}});
  j["works"] = works;
  j["digital_source_type"] = r.actions.empty() ? "" : r.actions.front().digital_source_type;
  if (registry.contains("AIGC")) j["ai_label"] = registry["AIGC"];
  if (!r.tsa_subject.empty() || r.timestamp) {
    j["timestamp"] = {{"tsa", r.tsa_subject},
                      {"time", r.timestamp ? Json(FormatRfc3339(*r.timestamp)) : Json(nullptr)}};
  }
  j["log"] = {{"index", registry.value("log_index", Json(nullptr))}, {"included", false}};
  return j;
}

StatusOr<Json> VerifyOffline(c2pa::Container kind, std::istream& asset,
                             const std::optional<std::string>& sidecar,
                             const std::vector<std::string>& roots_der, TimePoint now) {
  VT_ASSIGN_OR_RETURN(c2pa::VerifyReport r,
                      c2pa::Verify(kind, asset, sidecar, Options(roots_der, now)));
  return VerifyReportToJson(r);
}

StatusOr<Json> ContentDesk::Verify(std::istream& in, const std::optional<std::string>& sidecar) {
  std::vector<std::string> roots;
  if (auto pems = pki_->RootsPem(); pems.ok()) {
    for (const auto& [alg, pem] : *pems) {
      VT_ASSIGN_OR_RETURN(std::string der, x509::CertificateToDer(pem));
      roots.push_back(std::move(der));
    }
  }
  c2pa::Container kind = c2pa::Container::kSidecar;
  if (!sidecar) {
    std::string head(32, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    in.clear();
    in.seekg(0);
    auto k = c2pa::DetectContainer(head);
    if (!k.ok() || *k == c2pa::Container::kSidecar)
      return InvalidArgumentError("the file is not a JPEG, PNG, WAV or MP4 asset")
          .WithField("body");
    kind = *k;
  }
  VT_ASSIGN_OR_RETURN(c2pa::VerifyReport report,
                      c2pa::Verify(kind, in, sidecar, Options(roots, svc_.clock().Now())));
  Json out = VerifyReportToJson(report);
  if (report.verdict == c2pa::Verdict::kTrusted) VT_RETURN_IF_ERROR(AddRegistryFacts(out, report));
  return out;
}

// The registry's view of a trusted manifest: its content.signed entry, the
// signer's and the card's revocation, the character and the producer.
Status ContentDesk::AddRegistryFacts(Json& out, const c2pa::VerifyReport& report) {
  Json registry = Json::parse(report.registry_json, nullptr, false);
  if (!registry.is_object() || !registry.value("log_index", Json()).is_number_integer()) {
    AddStatus(out, "com.vtrust.registry.missing", "no vtrust registry map", false);
    out["verdict"] = "invalid";
    return OkStatus();
  }
  int64_t index = registry["log_index"].get<int64_t>();
  int64_t size = svc_.log().Published().size;
  Json entry;
  if (index >= 0 && index < size) {
    auto bytes = svc_.Read<std::string>(
        [&](store::Conn& c) { return TransparencyLog::ReadEntry(c, index); });
    if (bytes.ok()) entry = Json::parse(*bytes, nullptr, false);
  }
  bool matches = entry.is_object() && entry.value("type", "") == "content.signed" &&
                 entry["payload"].value("manifest", "") == report.manifest_label &&
                 entry["subject"].value("character", "") == registry.value("character_id", "");
  out["log"] = {{"index", index}, {"included", entry.is_object()}, {"matches", matches}};
  if (!matches) {
    AddStatus(out, "com.vtrust.log.mismatch",
              "log entry " + std::to_string(index) + " is not this manifest's content.signed entry",
              false);
    out["verdict"] = "invalid";
    return OkStatus();
  }
  AddStatus(out, "com.vtrust.log.included",
            "content.signed entry " + std::to_string(index) + " is in the log", true);
  const Json& payload = entry["payload"];
  std::string signer = payload["signer"].value("serial", "");
  std::string card = payload.contains("card") ? payload["card"].value("serial", "") : "";
  std::string character = registry.value("character_id", "");
  std::string org = registry.value("org_id", "");
  return svc_
      .Read<bool>([&](store::Conn& c) -> StatusOr<bool> {
        auto repo = store::NewSqlContentRepo(c);
        if (auto s = repo->GetCertStatus(signer); s.ok()) {
          out["producer"]["signer_serial"] = signer;
          out["producer"]["signer_status"] = CertStatusJson(*s);
          if (s->status == "revoked") {
            AddStatus(
                out, "signingCredential.revoked",
                "the claim signer " + signer + " was revoked at " + s->revoked_at.value_or("?"),
                false);
            out["verdict"] = "invalid";
          }
        }
        if (auto ch = repo->GetCharacterFacts(character); ch.ok()) {
          Json rec = Json::parse(ch->record, nullptr, false);
          out["character"]["name"] = rec.is_object() ? rec.value("name", "") : "";
          out["character"]["status"] = ch->status;
          out["character"]["org"] = ch->org_id;
        }
        if (!card.empty()) {
          if (auto s = repo->GetCertStatus(card); s.ok()) {
            out["character"]["card"] = CertStatusJson(*s);
            if (s->status == "revoked")
              AddStatus(out, "com.vtrust.card.revoked",
                        "the character's card " + card + " was revoked at " +
                            s->revoked_at.value_or("?") + ", after signing",
                        true);
          }
        }
        if (auto name = repo->GetOrgName(org); name.ok()) out["producer"]["name"] = *name;
        return true;
      })
      .status();
}

}  // namespace vt::app
