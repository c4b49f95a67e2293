// CRL v2 issuance and verification (RFC 5280 §5).
#include "x509/crl.h"

#include <algorithm>
#include <cctype>

#include "base/encoding.h"
#include "x509/ca.h"
#include "x509/ca_state.h"
#include "x509/cert.h"
#include "x509/der.h"

namespace vt::x509 {
namespace {

constexpr CrlReason kAllReasons[] = {
    CrlReason::kUnspecified,        CrlReason::kKeyCompromise, CrlReason::kCaCompromise,
    CrlReason::kAffiliationChanged, CrlReason::kSuperseded,    CrlReason::kCessationOfOperation,
    CrlReason::kCertificateHold,    CrlReason::kRemoveFromCrl, CrlReason::kPrivilegeWithdrawn,
    CrlReason::kAaCompromise,
};

StatusOr<ossl::Asn1IntegerPtr> SerialFromHex(const std::string& hex) {
  auto bytes = HexDecode(hex);
  if (!bytes.ok() || bytes->empty() || bytes->size() > 20) {
    return InvalidArgumentError("serial must be 1..20 octets of hex: \"" + hex + "\"")
        .WithField("serial");
  }
  ossl::BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                               static_cast<int>(bytes->size()), nullptr));
  ossl::Asn1IntegerPtr i(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!i) return ossl::Error(InternalError, "serial");
  return i;
}

StatusOr<ossl::Asn1TimePtr> Time(TimePoint t) {
  ossl::Asn1TimePtr a(ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(t)));
  if (!a) return ossl::Error(InternalError, "time");
  return a;
}

Status AddRevoked(X509_CRL* crl, const RevokedCert& r) {
  if (r.reason == CrlReason::kRemoveFromCrl) {
    return InvalidArgumentError("removeFromCRL is only for delta CRLs").WithField("reason");
  }
  VT_ASSIGN_OR_RETURN(auto serial, SerialFromHex(r.serial_hex));
  VT_ASSIGN_OR_RETURN(auto when, Time(r.revocation_time));
  ossl::X509RevokedPtr rev(X509_REVOKED_new());
  if (!rev || !X509_REVOKED_set_serialNumber(rev.get(), serial.get()) ||
      !X509_REVOKED_set_revocationDate(rev.get(), when.get())) {
    return ossl::Error(InternalError, "revoked entry");
  }
  // RFC 5280 §5.3.1: the reasonCode extension is omitted for "unspecified".
  if (r.reason != CrlReason::kUnspecified) {
    ossl::Asn1EnumPtr code(ASN1_ENUMERATED_new());
    if (!code || !ASN1_ENUMERATED_set(code.get(), static_cast<long>(r.reason)) ||
        X509_REVOKED_add1_ext_i2d(rev.get(), NID_crl_reason, code.get(), 0, 0) != 1) {
      return ossl::Error(InternalError, "reasonCode");
    }
  }
  if (!X509_CRL_add0_revoked(crl, rev.get())) return ossl::Error(InternalError, "add");
  rev.release();
  return OkStatus();
}

StatusOr<ossl::X509CrlPtr> BuildCrl(const Ca::State& ca, const CrlRequest& req, TimePoint now) {
  ossl::X509CrlPtr crl(X509_CRL_new());
  VT_ASSIGN_OR_RETURN(auto this_update, Time(now));
  VT_ASSIGN_OR_RETURN(auto next_update, Time(now + req.validity));
  if (!crl || !X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) ||
      !X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.cert.get())) ||
      !X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) ||
      !X509_CRL_set1_nextUpdate(crl.get(), next_update.get())) {
    return ossl::Error(InternalError, "CRL header");
  }
  for (const auto& r : req.revoked) VT_RETURN_IF_ERROR(AddRevoked(crl.get(), r));
  X509_CRL_sort(crl.get());
  ossl::Asn1IntegerPtr number(ASN1_INTEGER_new());
  ossl::AkidPtr akid(AUTHORITY_KEYID_new());
  const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(ca.cert.get());
  if (!number || !ASN1_INTEGER_set_uint64(number.get(), req.crl_number) || !akid || !ski ||
      !(akid->keyid = ASN1_OCTET_STRING_dup(ski)) ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, akid.get(), 0, 0) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1) {
    return ossl::Error(InternalError, "CRL extensions");
  }
  return crl;
}

}  // namespace

std::string_view CrlReasonName(CrlReason reason) {
  switch (reason) {
    case CrlReason::kUnspecified:
      return "unspecified";
    case CrlReason::kKeyCompromise:
      return "keyCompromise";
    case CrlReason::kCaCompromise:
      return "cACompromise";
    case CrlReason::kAffiliationChanged:
      return "affiliationChanged";
    case CrlReason::kSuperseded:
      return "superseded";
    case CrlReason::kCessationOfOperation:
      return "cessationOfOperation";
    case CrlReason::kCertificateHold:
      return "certificateHold";
    case CrlReason::kRemoveFromCrl:
      return "removeFromCRL";
    case CrlReason::kPrivilegeWithdrawn:
      return "privilegeWithdrawn";
    case CrlReason::kAaCompromise:
      return "aACompromise";
  }
  return "unspecified";
}

StatusOr<CrlReason> ParseCrlReason(std::string_view name) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (CrlReason r : kAllReasons) {
    if (lower(CrlReasonName(r)) == lower(name)) return r;
  }
  return InvalidArgumentError("unknown revocation reason \"" + std::string(name) + "\"")
      .WithField("reason");
}

StatusOr<CrlReason> CrlReasonFromCode(int code) {
  for (CrlReason r : kAllReasons) {
    if (static_cast<int>(r) == code) return r;
  }
  return InvalidArgumentError("unknown CRLReason code " + std::to_string(code)).WithField("reason");
}

StatusOr<std::string> Ca::SignCrl(const CrlRequest& request) const {
  if (request.validity.count() <= 0) {
    return InvalidArgumentError("CRL validity must be positive").WithField("validity");
  }
  TimePoint now = std::chrono::time_point_cast<std::chrono::seconds>(state_->clock->Now());
  VT_ASSIGN_OR_RETURN(ossl::X509CrlPtr crl, BuildCrl(*state_, request, now));
  VT_ASSIGN_OR_RETURN(auto mctx, state_->throwaway->NewSignContext());
  if (X509_CRL_sign_ctx(crl.get(), mctx.get()) <= 0) {
    return ossl::Error(InternalError, "signing the CRL's throwaway copy");
  }
  std::string draft = ossl::ToDer(crl.get(), i2d_X509_CRL);
  internal::der::SignedParts parts;
  if (!internal::der::SplitSigned(draft, &parts) ||
      parts.algorithm != internal::SignatureAlgorithmDer(alg())) {
    return InternalError("unexpected CRL encoding");
  }
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, CertificatePublicKey(state_->der));
  VT_ASSIGN_OR_RETURN(std::string out,
                      internal::SignAndAssemble(*state_->signer, key, parts.tbs, parts.algorithm));
  ossl::X509CrlPtr parsed = ossl::ParseDerExact<ossl::X509CrlPtr>(out, d2i_X509_CRL);
  if (!parsed || ossl::ToDer(parsed.get(), i2d_re_X509_CRL_tbs) != parts.tbs) {
    return ossl::Error(InternalError, "the signed CRL does not re-encode to its TBS");
  }
  return out;
}

}  // namespace vt::x509
