// Parties and member-certificate signatures (parties.h).
#include "app/rights/parties.h"

#include "base/encoding.h"
#include "x509/cert.h"

namespace vt::app {
namespace {

Status Refuse(const std::string& why) {
  return PermissionDeniedError(why).WithField("certificate");
}

// The CA certificates a stored certificate chains to: its issuing CA and the root
// of the same algorithm.
Status VerifyOurChain(store::Conn& c, const std::string& ca_id, const std::string& der,
                      TimePoint now) {
  VT_ASSIGN_OR_RETURN(
      auto issuing,
      c.Query("SELECT alg, cert_der FROM cas WHERE id = ? AND kind = 'issuing'", {ca_id}));
  if (issuing.empty()) return Refuse("certificate was not issued by a vtrust issuing CA");
  VT_ASSIGN_OR_RETURN(auto roots, c.Query("SELECT cert_der FROM cas WHERE alg = ? AND kind = "
                                          "'root'",
                                          {issuing[0].Text(0)}));
  std::vector<std::string> anchors;
  for (const auto& r : roots) anchors.push_back(r.Bytes(0));
  Status s = x509::VerifyCertificateChain(der, {issuing[0].Bytes(1)}, anchors, now);
  if (!s.ok()) return Refuse("certificate does not chain to the vtrust root: " + s.message());
  return OkStatus();
}

}  // namespace

Status CheckParty(store::Conn& c, const std::string& party, const std::string& field) {
  const char* sql = party.rfind("org_", 0) == 0   ? "SELECT id FROM orgs WHERE id = ?"
                    : party.rfind("mem_", 0) == 0 ? "SELECT id FROM members WHERE id = ? AND "
                                                    "removed_at IS NULL"
                                                  : nullptr;
  if (sql) {
    VT_ASSIGN_OR_RETURN(auto rows, c.Query(sql, {party}));
    if (!rows.empty()) return OkStatus();
  }
  return InvalidArgumentError(field + " '" + party + "' is not a registered organization or member")
      .WithField(field);
}

StatusOr<std::string> DecodeSignature(std::string_view b64) {
  auto raw = Base64Decode(b64);
  if (!raw.ok() || raw->empty())
    return InvalidArgumentError("signature must be standard base64 of the signature bytes")
        .WithField("signature");
  return std::move(*raw);
}

StatusOr<VerifiedSigner> VerifyMemberSignature(store::Conn& c, TimePoint now,
                                               std::string_view certificate,
                                               std::string_view message,
                                               std::string_view signature) {
  auto der = x509::CertificateToDer(certificate);
  if (!der.ok())
    return InvalidArgumentError("certificate must be one PEM or DER X.509 certificate")
        .WithField("certificate");
  auto info = x509::InspectCertificate(*der);
  if (!info.ok())
    return InvalidArgumentError("certificate does not parse: " + info.status().message())
        .WithField("certificate");
  VT_ASSIGN_OR_RETURN(auto rows,
                      c.Query("SELECT ca_id, profile, member_id, org_id, cert_der, status, "
                              "revocation_reason FROM certificates WHERE serial = ?",
                              {info->serial_hex}));
  if (rows.empty() || rows[0].IsNull(4) || rows[0].Bytes(4) != *der)
    return Refuse("certificate " + info->serial_hex + " was not issued by this vtrust CA");
  const store::Row& r = rows[0];
  if (r.Text(1) != "member" || r.IsNull(2))
    return Refuse("certificate " + info->serial_hex + " is a '" + r.Text(1) +
                  "' certificate, not a member certificate");
  if (r.Text(5) != "good") {
    std::string reason = r.OptText(6).value_or("unspecified");
    return Refuse("certificate " + info->serial_hex + " is revoked (" + reason + ")");
  }
  if (now < info->not_before || now > info->not_after)
    return Refuse("certificate " + info->serial_hex + " is not valid now (valid " +
                  FormatRfc3339(info->not_before) + " to " + FormatRfc3339(info->not_after) + ")");
  VT_RETURN_IF_ERROR(VerifyOurChain(c, r.Text(0), *der, now));
  VerifiedSigner out{r.Text(2), r.Text(3), info->serial_hex, {r.Text(2)}, std::string(signature)};
  VT_ASSIGN_OR_RETURN(auto member, c.Query("SELECT org_id, role, removed_at FROM members WHERE "
                                           "id = ?",
                                           {out.member_id}));
  if (member.empty() || !member[0].IsNull(2) || member[0].Text(0) != out.org_id)
    return Refuse("the member of certificate " + info->serial_hex + " is no longer a member of " +
                  out.org_id);
  if (member[0].Text(1) == "admin") out.stands_for.push_back(out.org_id);
  auto key = x509::CertificatePublicKey(*der);
  if (!key.ok()) return Refuse("certificate key is unusable: " + key.status().message());
  if (!key->Verify(message, signature).ok())
    return InvalidArgumentError(
               "signature does not verify over the document's canonical bytes "
               "with the key of certificate " +
               info->serial_hex)
        .WithField("signature");
  return out;
}

}  // namespace vt::app
