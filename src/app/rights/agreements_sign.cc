// Signing agreement versions and their entry into force (agreements.h).
#include <algorithm>
#include <set>

#include "app/core/domain_names.h"
#include "app/rights/agreements.h"
#include "app/rights/agreements_internal.h"
#include "app/rights/parties.h"

namespace vt::app {
namespace {

Status LogSigned(RightsTx& tx, const Principal& p, const std::string& type, const std::string& org,
                 const std::string& agreement, const Json& payload) {
  return tx.Log(p, type, {{"org", org}, {"agreement", agreement}}, payload);
}

bool MayRead(const Principal& p, const std::string& org, const std::vector<std::string>& parties) {
  if (p.CanRead(org)) return true;
  return std::find(parties.begin(), parties.end(), p.org_id) != parties.end() ||
         std::find(parties.begin(), parties.end(), p.member_id) != parties.end();
}

}  // namespace

Status RecordSignature(RightsTx& tx, const std::string& hash,
                       const std::vector<std::string>& affected,
                       const std::vector<DocSignature>& existing, const VerifiedSigner& signer,
                       DocSignature* out, bool* complete) {
  std::set<std::string> done;
  for (const auto& s : existing) {
    if (s.signer_member == signer.member_id)
      return AlreadyExistsError("member " + signer.member_id + " has already signed " + hash)
          .WithField("certificate");
    done.insert(s.parties.begin(), s.parties.end());
  }
  std::vector<std::string> covers;
  for (const auto& party : signer.stands_for)
    if (std::find(affected.begin(), affected.end(), party) != affected.end() && !done.count(party))
      covers.push_back(party);
  if (covers.empty())
    return PermissionDeniedError("member " + signer.member_id + " (certificate " +
                                 signer.cert_serial +
                                 ") stands for no affected party of this document that has "
                                 "not signed yet")
        .WithField("certificate");
  done.insert(covers.begin(), covers.end());
  *complete = std::all_of(affected.begin(), affected.end(),
                          [&](const std::string& a) { return done.count(a) > 0; });
  *out = DocSignature{signer.member_id, covers, signer.cert_serial, Base64Encode(signer.signature),
                      FormatRfc3339(tx.clock().Now())};
  return tx.repo().InsertSignature(
      {hash, out->signer_member, covers, out->cert_serial, signer.signature, out->signed_at});
}

StatusOr<Written<AgreementVersion>> AgreementRegistry::Sign(const Principal& p,
                                                            const std::string& agreement_id,
                                                            const std::string& hash,
                                                            const std::string& certificate,
                                                            const std::string& signature) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not sign agreements");
  AgreementVersion out;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) -> Status {
      store::RightsWriter& repo = tx.repo();
      auto v = GetVersion(repo, hash);
      if (!v.ok() && v.status().code() != StatusCode::kNotFound) return v.status();
      VT_ASSIGN_OR_RETURN(auto agreement, repo.FindAgreement(agreement_id));
      if (!v.ok() || !agreement || v->agreement_id != agreement_id ||
          !MayRead(p, agreement->org_id, v->parties))
        return NotFoundError("agreement " + agreement_id + " has no version " + hash);
      const std::string& org = agreement->org_id;
      out = std::move(*v);
      if (out.status != VersionStatus::kPending)
        return FailedPreconditionError("version " + std::to_string(out.version) + " is " +
                                       store::VersionStatusName(out.status) +
                                       "; only a pending version can be signed");
      VT_ASSIGN_OR_RETURN(
          VerifiedSigner signer,
          VerifyMemberSignature(repo, tx.clock().Now(), certificate, out.canonical, signature));
      VT_ASSIGN_OR_RETURN(out.signatures, LoadSignatures(repo, hash));
      DocSignature sig;
      bool complete = false;
      VT_RETURN_IF_ERROR(
          RecordSignature(tx, hash, out.parties, out.signatures, signer, &sig, &complete));
      out.signatures.push_back(sig);
      VT_RETURN_IF_ERROR(LogSigned(tx, p, "agreement.signed", org, agreement_id,
                                   {{"version", out.version},
                                    {"hash", hash},
                                    {"signer_member", sig.signer_member},
                                    {"parties", sig.parties},
                                    {"cert_serial", sig.cert_serial},
                                    {"signature", sig.signature_b64}}));
      if (!complete) return OkStatus();
      // Every affected party has signed: this version enters in force and the one in
      // force until now is superseded, in this same transaction.
      VT_ASSIGN_OR_RETURN(auto prev, repo.FindInForceVersion(agreement_id));
      out.status = VersionStatus::kInForce;
      out.effective_at = FormatRfc3339(tx.clock().Now());
      VT_RETURN_IF_ERROR(repo.SupersedeInForceVersion(agreement_id));
      VT_RETURN_IF_ERROR(repo.PutVersionInForce(hash, *out.effective_at));
      return LogSigned(tx, p, "agreement.in_force", org, agreement_id,
                       {{"version", out.version},
                        {"hash", hash},
                        {"superseded", prev ? Json(prev->hash) : Json(nullptr)},
                        {"effective_at", *out.effective_at}});
    });
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<AgreementVersion>{std::move(out), res->receipts};
}

}  // namespace vt::app
