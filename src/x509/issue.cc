// The lint-then-sign issuance pipeline (docs/id-card-profile.md; Boulder ca/ca.go):
// build → sign a throwaway copy → lint → store the serial → real signature →
// check the real certificate's TBS against the linted TBS.
#include "base/encoding.h"
#include "x509/cert_builder.h"
#include "x509/der.h"
#include "x509/lint.h"
#include "x509/lint_internal.h"

namespace vt::x509::internal {
namespace {

TimePoint FloorToSeconds(TimePoint t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

// The throwaway-signed DER of `x`; fills in the signature algorithm fields.
StatusOr<std::string> SignLintCopy(X509* x, const ThrowawayKey& throwaway) {
  VT_ASSIGN_OR_RETURN(ossl::EvpMdCtxPtr mctx, throwaway.NewSignContext());
  if (X509_sign_ctx(x, mctx.get()) <= 0) return ossl::Error(InternalError, "signing the lint copy");
  std::string der = ossl::ToDer(x, i2d_X509);
  if (der.empty()) return ossl::Error(InternalError, "encoding the lint copy");
  return der;
}

// The assembled certificate must split back into exactly the linted TBS
// (no re-parse with d2i_X509: OpenSSL 3.0 decodes the key, which is slow).
Status CheckFinal(const std::string& final_der, std::string_view linted_tbs) {
  der::SignedParts parts;
  if (!der::SplitSigned(final_der, &parts) || parts.tbs != linted_tbs) {
    return InternalError("the signed certificate's TBS differs from the linted TBS");
  }
  return OkStatus();
}

}  // namespace

StatusOr<IssuedCert> IssueCertificate(const IssuerContext& issuer, const Profile& profile,
                                      const crypto::PublicKey& subject_key,
                                      const CertRequest& request, const StoreSerialFn& store) {
  if (issuer.throwaway->alg() != issuer.signer->alg()) {
    return InternalError("throwaway key and signer algorithms differ");
  }
  TbsSpec spec;
  spec.profile = &profile;
  spec.serial = RandomSerial(*issuer.rng);
  spec.not_before = FloorToSeconds(issuer.clock->Now()) - kBackdate;
  auto lifetime = request.lifetime.count() > 0 ? request.lifetime : profile.default_lifetime;
  spec.not_after = spec.not_before + lifetime;
  spec.subject_key = &subject_key;
  spec.issuer = issuer.cert;
  spec.request = &request;
  spec.urls = issuer.urls;
  VT_ASSIGN_OR_RETURN(ossl::X509Ptr x, BuildUnsignedCertificate(spec));
  VT_ASSIGN_OR_RETURN(std::string lint_der, SignLintCopy(x.get(), *issuer.throwaway));
  std::vector<std::string> findings;
  LintX509(x.get(), issuer.cert, profile.id, &findings);
  VT_RETURN_IF_ERROR(FindingsToStatus(findings));
  der::SignedParts parts;
  if (!der::SplitSigned(lint_der, &parts))
    return InternalError("lint copy is not a signed SEQUENCE");
  if (parts.algorithm != SignatureAlgorithmDer(issuer.signer->alg())) {
    return InternalError("OpenSSL chose an unexpected signature AlgorithmIdentifier");
  }
  IssuedCert out;
  out.serial_hex = HexEncode(spec.serial);
  out.not_before = spec.not_before;
  out.not_after = spec.not_after;
  if (store) VT_RETURN_IF_ERROR(store(out.serial_hex));
  // Verify under the key of the issuing certificate (for a root: the subject
  // key itself), not under whatever key the signer claims to hold.
  const crypto::PublicKey& issuer_key = issuer.issuer_key ? *issuer.issuer_key : subject_key;
  VT_ASSIGN_OR_RETURN(out.der,
                      SignAndAssemble(*issuer.signer, issuer_key, parts.tbs, parts.algorithm));
  VT_RETURN_IF_ERROR(CheckFinal(out.der, parts.tbs));
  return out;
}

}  // namespace vt::x509::internal
