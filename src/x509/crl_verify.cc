// VerifyCrl (crl.h).
#include "base/encoding.h"
#include "crypto/ossl.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/der.h"
#include "x509/sign_internal.h"

namespace vt::x509 {
namespace {

Status BadCrl(std::string msg) {
  ossl::ClearErrors();
  return InvalidArgumentError("crl: " + std::move(msg)).WithField("crl");
}

TimePoint ToTimePoint(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || !ASN1_TIME_to_tm(t, &tm)) return TimePoint{};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

StatusOr<RevokedCert> ReadEntry(const X509_REVOKED* rev) {
  RevokedCert r;
  r.serial_hex = HexEncode(ossl::AsnStringBytes(X509_REVOKED_get0_serialNumber(rev)));
  r.revocation_time = ToTimePoint(X509_REVOKED_get0_revocationDate(rev));
  int crit = 0;
  ossl::Asn1EnumPtr code(
      static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, &crit, nullptr)));
  if (code) {
    VT_ASSIGN_OR_RETURN(r.reason,
                        CrlReasonFromCode(static_cast<int>(ASN1_ENUMERATED_get(code.get()))));
  }
  return r;
}

}  // namespace

StatusOr<CrlInfo> VerifyCrl(std::string_view crl_der, std::string_view issuer_cert) {
  ossl::X509CrlPtr crl = ossl::ParseDerExact<ossl::X509CrlPtr>(crl_der, d2i_X509_CRL);
  if (!crl) return BadCrl("not a DER CRL");
  VT_ASSIGN_OR_RETURN(std::string issuer_der, CertificateToDer(issuer_cert));
  ossl::X509Ptr issuer = ossl::ParseDerExact<ossl::X509Ptr>(issuer_der, d2i_X509);
  if (!issuer) return BadCrl("issuer certificate does not parse");
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer.get())) != 0) {
    return BadCrl("issued by someone else");
  }
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, CertificatePublicKey(issuer_der));
  internal::der::SignedParts parts;
  if (!internal::der::SplitSigned(crl_der, &parts) ||
      parts.algorithm != internal::SignatureAlgorithmDer(key.alg()) ||
      !key.Verify(parts.tbs, parts.signature).ok()) {
    return BadCrl("signature does not verify");
  }
  CrlInfo info;
  info.this_update = ToTimePoint(X509_CRL_get0_lastUpdate(crl.get()));
  info.next_update = ToTimePoint(X509_CRL_get0_nextUpdate(crl.get()));
  ossl::Asn1IntegerPtr number(static_cast<ASN1_INTEGER*>(
      X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr)));
  if (!number || !ASN1_INTEGER_get_uint64(&info.crl_number, number.get())) {
    return BadCrl("no crlNumber");
  }
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    VT_ASSIGN_OR_RETURN(auto entry, ReadEntry(sk_X509_REVOKED_value(revoked, i)));
    info.revoked.push_back(std::move(entry));
  }
  ossl::ClearErrors();
  return info;
}

}  // namespace vt::x509
