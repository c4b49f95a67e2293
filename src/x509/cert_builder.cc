#include "x509/cert_builder.h"

#include "base/encoding.h"
#include "x509/der.h"
#include "x509/lint.h"
#include "x509/lint_internal.h"

namespace vt::x509::internal {
namespace {

Status Fail(const char* what) { return ossl::Error(InternalError, what); }

bool IsAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return !s.empty();
}

StatusOr<ossl::GeneralNamePtr> MakeName(int type, const std::string& value) {
  if (!IsAscii(value)) {
    return InvalidArgumentError("URIs and e-mail addresses must be printable ASCII: \"" + value +
                                "\"")
        .WithField("san");
  }
  ossl::Asn1StringPtr ia5(ASN1_IA5STRING_new());
  ossl::GeneralNamePtr gn(GENERAL_NAME_new());
  if (!ia5 || !gn || !ASN1_STRING_set(ia5.get(), value.data(), static_cast<int>(value.size()))) {
    return Fail("GENERAL_NAME");
  }
  GENERAL_NAME_set0_value(gn.get(), type, ia5.release());
  return gn;
}

Status AddExt(X509* x, int nid, void* value, bool critical) {
  if (X509_add1_ext_i2d(x, nid, value, critical ? 1 : 0, X509V3_ADD_DEFAULT) != 1) {
    return ossl::Error(InternalError, std::string("adding extension ") + OBJ_nid2sn(nid));
  }
  return OkStatus();
}

Status SetName(X509* x, const SubjectName& name, X509* issuer) {
  ossl::X509NamePtr subject(X509_NAME_new());
  auto add = [&](int nid, const std::string& v, const char* field) -> Status {
    if (v.empty()) return OkStatus();
    auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
    if (!X509_NAME_add_entry_by_NID(subject.get(), nid, MBSTRING_UTF8, bytes,
                                    static_cast<int>(v.size()), -1, 0)) {
      ossl::ClearErrors();
      return InvalidArgumentError(std::string(field) + " is not valid UTF-8 of 1..64 characters")
          .WithField(field);
    }
    return OkStatus();
  };
  VT_RETURN_IF_ERROR(add(NID_organizationName, name.organization, "organization"));
  VT_RETURN_IF_ERROR(add(NID_commonName, name.common_name, "common_name"));
  if (!X509_set_subject_name(x, subject.get())) return Fail("subject");
  X509_NAME* issuer_name = issuer ? X509_get_subject_name(issuer) : subject.get();
  if (!X509_set_issuer_name(x, issuer_name)) return Fail("issuer");
  return OkStatus();
}

// Writes the SubjectPublicKeyInfo from the raw key bytes, avoiding OpenSSL
// 3.0's slow encode/decode round trip in X509_set_pubkey. Same DER as
// i2d_PUBKEY (RFC 5480 §2 named curve, RFC 8410 §4).
Status SetPublicKey(X509* x, const crypto::PublicKey& key) {
  std::string raw = key.RawBytes();
  auto* bits = static_cast<unsigned char*>(OPENSSL_memdup(raw.data(), raw.size()));
  ASN1_OBJECT* oid =
      OBJ_nid2obj(key.alg() == crypto::KeyAlg::kEd25519 ? NID_ED25519 : NID_X9_62_id_ecPublicKey);
  int ptype = V_ASN1_UNDEF;
  void* param = nullptr;
  if (key.alg() != crypto::KeyAlg::kEd25519) {
    ptype = V_ASN1_OBJECT;
    param = OBJ_nid2obj(key.alg() == crypto::KeyAlg::kSm2 ? NID_sm2 : NID_X9_62_prime256v1);
  }
  if (bits == nullptr || !X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x), oid, ptype, param, bits,
                                                 static_cast<int>(raw.size()))) {
    OPENSSL_free(bits);
    return Fail("subject public key");
  }
  return OkStatus();
}

Status SetBasics(X509* x, const TbsSpec& spec) {
  ossl::BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(spec.serial.data()),
                               static_cast<int>(spec.serial.size()), nullptr));
  ossl::Asn1IntegerPtr serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!serial || !X509_set_version(x, X509_VERSION_3) || !X509_set_serialNumber(x, serial.get())) {
    return Fail("serial");
  }
  auto secs = [](TimePoint t) { return std::chrono::system_clock::to_time_t(t); };
  if (!ASN1_TIME_set(X509_getm_notBefore(x), secs(spec.not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(x), secs(spec.not_after))) {
    return Fail("validity");
  }
  VT_RETURN_IF_ERROR(SetPublicKey(x, *spec.subject_key));
  return SetName(x, spec.request->subject, spec.issuer);
}

Status AddConstraints(X509* x, const Profile& p) {
  ossl::BasicConstraintsPtr bc(BASIC_CONSTRAINTS_new());
  if (!bc) return Fail("basicConstraints");
  bc->ca = p.is_ca ? 0xff : 0;
  if (p.path_len) {
    bc->pathlen = ASN1_INTEGER_new();
    if (!bc->pathlen || !ASN1_INTEGER_set(bc->pathlen, *p.path_len)) return Fail("pathlen");
  }
  VT_RETURN_IF_ERROR(AddExt(x, NID_basic_constraints, bc.get(), true));
  ossl::Asn1BitStringPtr ku(ASN1_BIT_STRING_new());
  for (int i = 0; ku && i < 9; ++i) {
    if ((p.key_usage & (1u << i)) && !ASN1_BIT_STRING_set_bit(ku.get(), i, 1)) ku.reset();
  }
  if (!ku) return Fail("keyUsage");
  VT_RETURN_IF_ERROR(AddExt(x, NID_key_usage, ku.get(), true));
  if (p.ekus.empty()) return OkStatus();
  ossl::EkuPtr eku(sk_ASN1_OBJECT_new_null());
  for (const auto& oid : p.ekus) {
    ASN1_OBJECT* obj = OBJ_txt2obj(oid.c_str(), 1);
    if (!eku || !obj || !sk_ASN1_OBJECT_push(eku.get(), obj)) {
      ASN1_OBJECT_free(obj);
      return Fail("extKeyUsage");
    }
  }
  return AddExt(x, NID_ext_key_usage, eku.get(), p.eku_critical);
}

Status AddKeyIds(X509* x, X509* issuer) {
  std::string id = KeyIdentifier(x);
  ossl::Asn1OctetPtr ski(ASN1_OCTET_STRING_new());
  if (!ski || !ASN1_OCTET_STRING_set(ski.get(), reinterpret_cast<const unsigned char*>(id.data()),
                                     static_cast<int>(id.size()))) {
    return Fail("subjectKeyIdentifier");
  }
  VT_RETURN_IF_ERROR(AddExt(x, NID_subject_key_identifier, ski.get(), false));
  if (issuer == nullptr) return OkStatus();  // a root: AKI may be omitted (RFC 5280 §4.2.1.1)
  const ASN1_OCTET_STRING* issuer_ski = X509_get0_subject_key_id(issuer);
  if (issuer_ski == nullptr) return FailedPreconditionError("issuer has no subjectKeyIdentifier");
  ossl::AkidPtr akid(AUTHORITY_KEYID_new());
  if (!akid || !(akid->keyid = ASN1_OCTET_STRING_dup(issuer_ski))) return Fail("AKI");
  return AddExt(x, NID_authority_key_identifier, akid.get(), false);
}

Status AddSan(X509* x, const CertRequest& req) {
  if (req.san_uris.empty() && req.san_emails.empty()) return OkStatus();
  ossl::GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return Fail("SAN");
  auto push = [&](int type, const std::string& v) -> Status {
    VT_ASSIGN_OR_RETURN(ossl::GeneralNamePtr gn, MakeName(type, v));
    if (!sk_GENERAL_NAME_push(names.get(), gn.get())) return Fail("SAN");
    gn.release();
    return OkStatus();
  };
  for (const auto& uri : req.san_uris) VT_RETURN_IF_ERROR(push(GEN_URI, uri));
  for (const auto& email : req.san_emails) VT_RETURN_IF_ERROR(push(GEN_EMAIL, email));
  return AddExt(x, NID_subject_alt_name, names.get(), false);
}

Status AddRevocationPointers(X509* x, const CaUrls& urls) {
  ossl::AiaPtr aia(sk_ACCESS_DESCRIPTION_new_null());
  for (auto [nid, url] : {std::pair{NID_ad_OCSP, &urls.ocsp_url},
                          std::pair{NID_ad_ca_issuers, &urls.ca_issuers_url}}) {
    VT_ASSIGN_OR_RETURN(ossl::GeneralNamePtr gn, MakeName(GEN_URI, *url));
    ACCESS_DESCRIPTION* ad = ACCESS_DESCRIPTION_new();
    if (!aia || !ad || !sk_ACCESS_DESCRIPTION_push(aia.get(), ad)) {
      ACCESS_DESCRIPTION_free(ad);
      return Fail("AIA");
    }
    ASN1_OBJECT_free(ad->method);
    ad->method = OBJ_nid2obj(nid);
    GENERAL_NAME_free(ad->location);
    ad->location = gn.release();
  }
  VT_RETURN_IF_ERROR(AddExt(x, NID_info_access, aia.get(), false));
  VT_ASSIGN_OR_RETURN(ossl::GeneralNamePtr gn, MakeName(GEN_URI, urls.crl_url));
  ossl::CrlDpPtr dps(sk_DIST_POINT_new_null());
  DIST_POINT* dp = DIST_POINT_new();
  if (!dps || !dp || !sk_DIST_POINT_push(dps.get(), dp)) {
    DIST_POINT_free(dp);
    return Fail("CRL DP");
  }
  dp->distpoint = DIST_POINT_NAME_new();
  if (!dp->distpoint || !(dp->distpoint->name.fullname = sk_GENERAL_NAME_new_null()) ||
      !sk_GENERAL_NAME_push(dp->distpoint->name.fullname, gn.get())) {
    return Fail("CRL DP");
  }
  gn.release();
  dp->distpoint->type = 0;  // fullName
  return AddExt(x, NID_crl_distribution_points, dps.get(), false);
}

Status AddVtrustExtensions(X509* x, const Profile& p, const CertRequest& req) {
  if (p.ocsp_nocheck) {
    ossl::UniquePtr<ASN1_NULL> null(ASN1_NULL_new());
    VT_RETURN_IF_ERROR(AddExt(x, NID_id_pkix_OCSP_noCheck, null.get(), false));
  }
  if (!req.id_card) return OkStatus();
  VT_ASSIGN_OR_RETURN(std::string der, EncodeIdCardExtension(*req.id_card));
  ossl::Asn1OctetPtr value(ASN1_OCTET_STRING_new());
  if (!value ||
      !ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(der.data()),
                             static_cast<int>(der.size()))) {
    return Fail("id-card extension");
  }
  ossl::X509ExtPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, IdCardOid(), 0, value.get()));
  if (!ext || !X509_add_ext(x, ext.get(), -1)) return Fail("id-card extension");
  return OkStatus();
}

}  // namespace

StatusOr<ossl::X509Ptr> BuildUnsignedCertificate(const TbsSpec& spec) {
  ossl::X509Ptr x(X509_new());
  if (!x) return Fail("X509_new");
  VT_RETURN_IF_ERROR(SetBasics(x.get(), spec));
  VT_RETURN_IF_ERROR(AddConstraints(x.get(), *spec.profile));
  VT_RETURN_IF_ERROR(AddKeyIds(x.get(), spec.issuer));
  VT_RETURN_IF_ERROR(AddSan(x.get(), *spec.request));
  if (spec.profile->revocable) VT_RETURN_IF_ERROR(AddRevocationPointers(x.get(), *spec.urls));
  VT_RETURN_IF_ERROR(AddVtrustExtensions(x.get(), *spec.profile, *spec.request));
  return x;
}

}  // namespace vt::x509::internal
