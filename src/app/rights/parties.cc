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
Status VerifyOurChain(store::RightsReader& repo, const std::string& ca_id, const std::string& der,
                      TimePoint now) {
  VT_ASSIGN_OR_RETURN(auto issuing, repo.FindIssuingCa(ca_id));
  if (!issuing) return Refuse("certificate was not issued by a vtrust issuing CA");
  VT_ASSIGN_OR_RETURN(auto anchors, repo.RootCertificates(issuing->alg));
  Status s = x509::VerifyCertificateChain(der, {issuing->der}, anchors, now);
  if (!s.ok()) return Refuse("certificate does not chain to the vtrust root: " + s.message());
  return OkStatus();
}

}  // namespace

std::optional<PartyKind> PartyKindOf(std::string_view id) {
  if (id.starts_with("org_")) return PartyKind::kOrganization;
  if (id.starts_with("mem_")) return PartyKind::kMember;
  return std::nullopt;
}

Status CheckParty(store::RightsReader& repo, const std::string& party, const std::string& field) {
  if (auto kind = PartyKindOf(party)) {
    VT_ASSIGN_OR_RETURN(bool found, *kind == PartyKind::kOrganization
                                        ? repo.OrgExists(party)
                                        : repo.MemberExists(party, /*active_only=*/true));
    if (found) return OkStatus();
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

StatusOr<VerifiedSigner> VerifyMemberSignature(store::RightsReader& repo, TimePoint now,
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
  VT_ASSIGN_OR_RETURN(auto cert, repo.FindCertificate(info->serial_hex));
  if (!cert || !cert->der || *cert->der != *der)
    return Refuse("certificate " + info->serial_hex + " was not issued by this vtrust CA");
  if (cert->profile != "member" || !cert->member_id)
    return Refuse("certificate " + info->serial_hex + " is a '" + cert->profile +
                  "' certificate, not a member certificate");
  if (cert->status != "good") {
    std::string reason = cert->revocation_reason.value_or("unspecified");
    return Refuse("certificate " + info->serial_hex + " is revoked (" + reason + ")");
  }
  if (now < info->not_before || now > info->not_after)
    return Refuse("certificate " + info->serial_hex + " is not valid now (valid " +
                  FormatRfc3339(info->not_before) + " to " + FormatRfc3339(info->not_after) + ")");
  VT_RETURN_IF_ERROR(VerifyOurChain(repo, cert->ca_id, *der, now));
  VerifiedSigner out{
      *cert->member_id, cert->org_id, info->serial_hex, {*cert->member_id}, std::string(signature)};
  VT_ASSIGN_OR_RETURN(auto member, repo.FindMember(out.member_id));
  if (!member || member->removed || member->org_id != out.org_id)
    return Refuse("the member of certificate " + info->serial_hex + " is no longer a member of " +
                  out.org_id);
  if (member->role == "admin") out.stands_for.push_back(out.org_id);
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
