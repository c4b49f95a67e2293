// The claim signature (C2PA 2.2 §15.7), its validity window (§15.8), the
// signing credential (§14.5, §15.9) and stapled OCSP (§14.5.2).
#include "c2pa/cert_profile_internal.h"
#include "c2pa/cose_internal.h"
#include "c2pa/manifest_internal.h"
#include "c2pa/verify_internal.h"
#include "x509/cert.h"
#include "x509/timestamp.h"

namespace vt::c2pa::internal {
namespace {

void CheckOcsp(const cose::Parsed& sig, const VerifyOptions& o, const std::string& url,
               VerifyReport* r) {
  if (sig.ocsp_der.empty()) return;
  if (!o.check_ocsp) {
    AddStatus(r, "signingCredential.ocsp.skipped", url, "no OCSP checker configured", true);
    return;
  }
  std::string issuer = sig.chain_der.size() > 1 ? sig.chain_der[1] : "";
  switch (o.check_ocsp(sig.ocsp_der[0], sig.chain_der[0], issuer)) {
    case OcspStatus::kGood:
      AddStatus(r, "signingCredential.ocsp.notRevoked", url, "stapled OCSP: good", true);
      break;
    case OcspStatus::kRevoked:
      AddStatus(r, "signingCredential.ocsp.revoked", url, "stapled OCSP: revoked", false);
      break;
    case OcspStatus::kUnknown:
      AddStatus(r, "signingCredential.ocsp.unknown", url, "stapled OCSP: unknown", false);
      break;
  }
}

// sigTst2 (C2PA 2.2 §10.3.2.5, §15.7): the token is over the signature, and
// its TSA chains to an anchor. A validated timestamp sets *at to its genTime.
void CheckTimestamp(const cose::Parsed& sig, std::string_view claim, const VerifyOptions& o,
                    const std::string& url, VerifyReport* r, TimePoint* at) {
  if (!sig.tst_der) return;
  const auto& anchors =
      o.tsa_trust_anchors_der.empty() ? o.trust_anchors_der : o.tsa_trust_anchors_der;
  x509::TokenReport t =
      x509::VerifyTimeStampToken(*sig.tst_der, cose::TimestampMessage(sig, claim), anchors);
  r->tsa_subject = t.tsa_subject;
  switch (t.check) {
    case x509::TokenCheck::kValid:
      // As c2pa-rs reports it: validated (imprint and signature), then
      // trusted (the TSA's chain).
      AddStatus(r, "timeStamp.validated", url,
                t.explanation + " at " + FormatRfc3339(t.gen_time) +
                    (sig.tst_v2 ? " (sigTst2)" : " (sigTst, v1)"),
                true);
      AddStatus(r, "timeStamp.trusted", url, "the TSA chains to a trust anchor", true);
      *at = t.gen_time;
      r->timestamp = t.gen_time;
      return;
    case x509::TokenCheck::kMismatch:
      AddStatus(r, "timeStamp.mismatch", url, t.explanation, false);
      return;
    case x509::TokenCheck::kUntrusted:
      AddStatus(r, "timeStamp.untrusted", url, t.explanation, false);
      return;
    case x509::TokenCheck::kMalformed:
      AddStatus(r, "timeStamp.malformed", url, t.explanation, false);
      return;
  }
}

}  // namespace

CredentialResult JudgeCredential(const std::vector<std::string>& chain,
                                 const std::vector<std::string>& anchors,
                                 const std::vector<std::string_view>& accepted_ekus,
                                 TimePoint now) {
  CredentialResult out;
  auto facts = ReadCertFacts(chain.at(0));
  if (!facts.ok()) {
    out.explanation = facts.status().message();
    return out;
  }
  out.subject = facts->subject;
  std::string problem = ProfileProblem(*facts, accepted_ekus);
  if (!problem.empty()) {
    out.explanation = "certificate profile: " + problem;
    return out;
  }
  std::vector<std::string> intermediates(chain.begin() + 1, chain.end());
  Status chained = anchors.empty()
                       ? FailedPreconditionError("no trust anchors configured")
                       : x509::VerifyCertificateChain(chain[0], intermediates, anchors, now);
  out.kind = chained.ok() ? Credential::kTrusted : Credential::kUntrusted;
  out.explanation = chained.ok() ? "chains to a trust anchor" : chained.message();
  return out;
}

void CheckClaimSignature(const ActiveManifest& m, const VerifyOptions& o, VerifyReport* r) {
  std::string url = m.Url(kLabelSignature);
  auto parsed = cose::Parse(m.signature_bytes);
  if (!parsed.ok()) {
    AddStatus(r, "claimSignature.mismatch", url, parsed.status().message(), false);
    return;
  }
  Status verified = cose::Verify(*parsed, m.claim_bytes);
  if (!verified.ok()) {
    bool alg = verified.message().rfind("algorithm.unsupported", 0) == 0;
    AddStatus(r, alg ? "algorithm.unsupported" : "claimSignature.mismatch", url, verified.message(),
              false);
    return;
  }
  AddStatus(r, "claimSignature.validated", url, "claim signature valid", true);
  TimePoint at = o.now;
  CheckTimestamp(*parsed, m.claim_bytes, o, url, r, &at);
  const char* when = at == o.now ? "now" : "at the timestamp's time";
  auto facts = ReadCertFacts(parsed->chain_der[0]);
  if (facts.ok()) {
    bool inside = facts->not_before <= at && at <= facts->not_after;
    AddStatus(
        r, inside ? "claimSignature.insideValidity" : "claimSignature.outsideValidity", url,
        std::string(inside ? "signer certificate valid " : "signer certificate not valid ") + when,
        inside);
  }
  CredentialResult c = JudgeCredential(
      parsed->chain_der, o.trust_anchors_der,
      {kEkuC2paClaimSigning, kEkuEmailProtection, kEkuDocumentSigning, kEkuMsC2pa}, at);
  r->signer_subject = c.subject;
  static constexpr const char* kCodes[] = {
      "signingCredential.trusted", "signingCredential.untrusted", "signingCredential.invalid"};
  AddStatus(r, kCodes[static_cast<int>(c.kind)], url, c.explanation,
            c.kind == Credential::kTrusted);
  CheckOcsp(*parsed, o, url, r);
}

}  // namespace vt::c2pa::internal
