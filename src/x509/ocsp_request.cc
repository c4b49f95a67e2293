// OCSP request parsing and issuer matching (RFC 6960 §4.1, RFC 8954).
#include <openssl/sha.h>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "x509/cert.h"
#include "x509/der.h"
#include "x509/lint_internal.h"
#include "x509/ocsp_internal.h"

namespace vt::x509::internal {
namespace {

// RFC 8954 §2.1 allows 1..32 nonce octets; leave room for the DER wrapping.
constexpr size_t kMaxNonceExtnValue = 64;

std::string Sha1(std::string_view data) {
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

Status Malformed(std::string msg) {
  ossl::ClearErrors();
  return InvalidArgumentError("ocsp request: " + std::move(msg)).WithField("ocsp_request");
}

StatusOr<ossl::X509Ptr> Load(std::string_view pem_or_der, const char* what) {
  VT_ASSIGN_OR_RETURN(std::string der, CertificateToDer(pem_or_der));
  ossl::X509Ptr x = ossl::ParseDerExact<ossl::X509Ptr>(der, d2i_X509);
  if (!x) {
    ossl::ClearErrors();
    return InvalidArgumentError(std::string(what) + " does not parse").WithField(what);
  }
  return x;
}

Status CheckResponder(X509* issuer, X509* responder, const crypto::Signer& signer) {
  auto invalid = [](const char* msg) {
    ossl::ClearErrors();
    return InvalidArgumentError(msg).WithField("responder_cert");
  };
  VT_ASSIGN_OR_RETURN(crypto::PublicKey issuer_key,
                      crypto::PublicKey::FromEvp(X509_get0_pubkey(issuer)));
  std::string der = ossl::ToDer(responder, i2d_X509);
  der::SignedParts parts;
  if (X509_check_issued(issuer, responder) != X509_V_OK || !der::SplitSigned(der, &parts) ||
      !issuer_key.Verify(parts.tbs, parts.signature).ok()) {
    return invalid("responder certificate is not issued by its issuer");
  }
  if ((X509_get_extension_flags(responder) & EXFLAG_XKUSAGE) == 0 ||
      (X509_get_extended_key_usage(responder) & XKU_OCSP_SIGN) == 0) {
    return invalid("responder certificate lacks the OCSPSigning EKU");
  }
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key,
                      crypto::PublicKey::FromEvp(X509_get0_pubkey(responder)));
  if (!(key == signer.public_key())) return invalid("signer does not hold the responder key");
  return OkStatus();
}

// Which issuer a CertID names, or -1.
int MatchIssuer(const OcspResponder::State& state, OcspHash hash, const std::string& name_hash,
                const std::string& key_hash) {
  int h = static_cast<int>(hash);
  for (size_t i = 0; i < state.issuers.size(); ++i) {
    const auto& e = state.issuers[i];
    if (e.name_hash[h] == name_hash && e.key_hash[h] == key_hash) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

StatusOr<OcspIssuerEntry> MakeOcspIssuerEntry(const OcspIssuer& in) {
  if (!in.signer) return InvalidArgumentError("no signer").WithField("signer");
  OcspIssuerEntry e;
  VT_ASSIGN_OR_RETURN(e.issuer, Load(in.issuer_cert, "issuer_cert"));
  VT_ASSIGN_OR_RETURN(ossl::X509Ptr responder, Load(in.responder_cert, "responder_cert"));
  VT_RETURN_IF_ERROR(CheckResponder(e.issuer.get(), responder.get(), *in.signer));
  e.issuer_name_der = ossl::ToDer(X509_get_subject_name(e.issuer.get()), i2d_X509_NAME);
  e.issuer_key_bits = ossl::AsnStringBytes(X509_get0_pubkey_bitstr(e.issuer.get()));
  e.name_hash[0] = Sha1(e.issuer_name_der);
  e.key_hash[0] = Sha1(e.issuer_key_bits);
  e.name_hash[1] = crypto::Sha256(e.issuer_name_der);
  e.key_hash[1] = crypto::Sha256(e.issuer_key_bits);
  e.responder_der = ossl::ToDer(responder.get(), i2d_X509);
  e.responder_key_id = Sha1(ossl::AsnStringBytes(X509_get0_pubkey_bitstr(responder.get())));
  e.responder_key = in.signer->public_key();
  e.signer = in.signer;
  return e;
}

StatusOr<ParsedOcspRequest> ParseOcspRequest(const OcspResponder::State& state,
                                             std::string_view der) {
  auto req = ossl::ParseDerExact<ossl::OcspReqPtr>(der, d2i_OCSP_REQUEST);
  if (!req) return Malformed("not a DER OCSPRequest");
  int n = OCSP_request_onereq_count(req.get());
  if (n <= 0 || static_cast<size_t>(n) > OcspResponder::kMaxRequestItems) {
    return Malformed("needs 1.." + std::to_string(OcspResponder::kMaxRequestItems) + " CertIDs");
  }
  ParsedOcspRequest out;
  for (int i = 0; i < n; ++i) {
    OCSP_CERTID* cid = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req.get(), i));
    ASN1_OCTET_STRING *name_hash = nullptr, *key_hash = nullptr;
    ASN1_OBJECT* md = nullptr;
    ASN1_INTEGER* serial = nullptr;
    OCSP_id_get0_info(&name_hash, &md, &key_hash, &serial, cid);
    int nid = OBJ_obj2nid(md);
    if (nid != NID_sha1 && nid != NID_sha256) {
      return PermissionDeniedError("ocsp request: CertID hash algorithm not supported");
    }
    OcspHash hash = nid == NID_sha1 ? OcspHash::kSha1 : OcspHash::kSha256;
    int idx =
        MatchIssuer(state, hash, ossl::AsnStringBytes(name_hash), ossl::AsnStringBytes(key_hash));
    if (idx < 0) return PermissionDeniedError("ocsp request: unknown issuer");
    if (i > 0 && static_cast<size_t>(idx) != out.info.issuer_index) {
      return PermissionDeniedError("ocsp request: CertIDs of different issuers");
    }
    out.info.issuer_index = static_cast<size_t>(idx);
    // A negative serial is never one of ours: "" makes it unknown.
    std::string serial_hex =
        ASN1_STRING_type(serial) == V_ASN1_INTEGER ? HexEncode(ossl::AsnStringBytes(serial)) : "";
    out.info.items.push_back({serial_hex, hash});
    out.cert_ids.push_back(ossl::ToDer(cid, i2d_OCSP_CERTID));
  }
  int nonce_idx = OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, -1);
  if (nonce_idx >= 0) {
    X509_EXTENSION* ext = OCSP_REQUEST_get_ext(req.get(), nonce_idx);
    if (ASN1_STRING_length(X509_EXTENSION_get_data(ext)) > static_cast<int>(kMaxNonceExtnValue)) {
      return Malformed("nonce too long (RFC 8954 §2.1)");
    }
    out.nonce_extension = ossl::ToDer(ext, i2d_X509_EXTENSION);
    out.info.has_nonce = true;
  }
  ossl::ClearErrors();
  return out;
}

}  // namespace vt::x509::internal
