// VerifyOcspResponse (ocsp.h): the relying party's check of an OCSP response.
#include "base/encoding.h"
#include "crypto/ossl.h"
#include "x509/cert.h"
#include "x509/der.h"
#include "x509/ocsp.h"

namespace vt::x509 {
namespace {

using CertIdPtr = ossl::UniquePtr<OCSP_CERTID>;

constexpr auto kClockSkew = std::chrono::minutes(5);

Status Bad(std::string msg) {
  ossl::ClearErrors();
  return InvalidArgumentError("ocsp response: " + std::move(msg)).WithField("ocsp_response");
}

TimePoint ToTimePoint(const ASN1_GENERALIZEDTIME* t) {
  struct tm tm {};
  if (t == nullptr || !ASN1_TIME_to_tm(t, &tm)) return TimePoint{};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// The response's signer must be the issuer or a delegate it certified.
StatusOr<crypto::PublicKey> SignerKey(OCSP_BASICRESP* bs, X509* issuer,
                                      const crypto::PublicKey& issuer_key) {
  X509* signer = nullptr;
  STACK_OF(X509)* extra = sk_X509_new_null();
  sk_X509_push(extra, issuer);
  int found = OCSP_resp_get0_signer(bs, &signer, extra);
  sk_X509_free(extra);
  if (found != 1 || signer == nullptr) return Bad("no responder certificate");
  if (X509_cmp(signer, issuer) == 0) return issuer_key;
  std::string der = ossl::ToDer(signer, i2d_X509);
  internal::der::SignedParts parts;
  if (X509_check_issued(issuer, signer) != X509_V_OK || !internal::der::SplitSigned(der, &parts) ||
      !issuer_key.Verify(parts.tbs, parts.signature).ok()) {
    return Bad("responder certificate not issued by the issuer");
  }
  if ((X509_get_extended_key_usage(signer) & XKU_OCSP_SIGN) == 0) {
    return Bad("responder certificate lacks the OCSPSigning EKU");
  }
  auto key = crypto::PublicKey::FromEvp(X509_get0_pubkey(signer));
  if (!key.ok()) return Bad("unsupported responder key");
  return key;
}

StatusOr<OcspVerifiedStatus> FindStatus(OCSP_BASICRESP* bs, X509* issuer,
                                        const std::string& serial) {
  auto raw = HexDecode(serial);
  if (!raw.ok() || raw->empty()) return Bad("bad serial");
  ossl::BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(raw->data()),
                               static_cast<int>(raw->size()), nullptr));
  ossl::Asn1IntegerPtr num(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  for (const EVP_MD* md : {EVP_sha1(), EVP_sha256()}) {
    CertIdPtr id(OCSP_cert_id_new(md, X509_get_subject_name(issuer),
                                  X509_get0_pubkey_bitstr(issuer), num.get()));
    int state = 0, reason = -1;
    ASN1_GENERALIZEDTIME *rev = nullptr, *thisupd = nullptr, *nextupd = nullptr;
    if (!id || !OCSP_resp_find_status(bs, id.get(), &state, &reason, &rev, &thisupd, &nextupd)) {
      continue;
    }
    OcspVerifiedStatus out;
    out.this_update = ToTimePoint(thisupd);
    out.next_update = ToTimePoint(nextupd);
    out.status.state = state == V_OCSP_CERTSTATUS_GOOD      ? OcspCertState::kGood
                       : state == V_OCSP_CERTSTATUS_REVOKED ? OcspCertState::kRevoked
                                                            : OcspCertState::kUnknown;
    out.status.revocation_time = ToTimePoint(rev);
    if (reason >= 0) {
      VT_ASSIGN_OR_RETURN(out.status.reason, CrlReasonFromCode(reason));
    }
    return out;
  }
  return Bad("no status for serial " + serial);
}

}  // namespace

StatusOr<OcspVerifiedStatus> VerifyOcspResponse(std::string_view response_der,
                                                std::string_view issuer_cert,
                                                const std::string& serial_hex, TimePoint at) {
  auto resp = ossl::ParseDerExact<ossl::OcspRespPtr>(response_der, d2i_OCSP_RESPONSE);
  if (!resp) return Bad("not a DER OCSPResponse");
  int status = OCSP_response_status(resp.get());
  if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    return Bad(std::string("status ") + OCSP_response_status_str(status));
  }
  ossl::OcspBasicPtr bs(OCSP_response_get1_basic(resp.get()));
  if (!bs) return Bad("not a basic response");
  VT_ASSIGN_OR_RETURN(std::string issuer_der, CertificateToDer(issuer_cert));
  ossl::X509Ptr issuer = ossl::ParseDerExact<ossl::X509Ptr>(issuer_der, d2i_X509);
  if (!issuer) return Bad("issuer certificate does not parse");
  VT_ASSIGN_OR_RETURN(crypto::PublicKey issuer_key, CertificatePublicKey(issuer_der));
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, SignerKey(bs.get(), issuer.get(), issuer_key));
  std::string tbs = ossl::ToDer(OCSP_resp_get0_respdata(bs.get()), i2d_OCSP_RESPDATA);
  std::string sig = ossl::AsnStringBytes(OCSP_resp_get0_signature(bs.get()));
  if (tbs.empty() || !key.Verify(tbs, sig).ok()) return Bad("signature does not verify");
  VT_ASSIGN_OR_RETURN(OcspVerifiedStatus out, FindStatus(bs.get(), issuer.get(), serial_hex));
  if (out.this_update > at + kClockSkew) return Bad("thisUpdate is in the future");
  if (out.next_update != TimePoint{} && at > out.next_update) return Bad("response expired");
  ossl::ClearErrors();
  return out;
}

}  // namespace vt::x509
