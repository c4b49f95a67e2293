#include "x509/cert.h"

#include <openssl/pem.h>

#include "base/encoding.h"
#include "crypto/ossl.h"
#include "x509/lint_internal.h"
#include "x509/registry_id.h"

namespace vt::x509 {
namespace {

Status BadCert(std::string msg) {
  ossl::ClearErrors();
  return InvalidArgumentError("certificate: " + std::move(msg)).WithField("certificate");
}

StatusOr<ossl::X509Ptr> Parse(std::string_view pem_or_der) {
  VT_ASSIGN_OR_RETURN(std::string der, CertificateToDer(pem_or_der));
  ossl::X509Ptr x = ossl::ParseDerExact<ossl::X509Ptr>(der, d2i_X509);
  if (!x) return BadCert("not DER");
  return x;
}

TimePoint ToTimePoint(const ASN1_TIME* t) {
  struct tm tm {};
  ASN1_TIME_to_tm(t, &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string FirstUri(GENERAL_NAMES* names) {
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type == GEN_URI) return ossl::AsnStringBytes(gn->d.uniformResourceIdentifier);
  }
  return "";
}

void ReadPointers(X509* x, CertificateInfo* info) {
  ossl::AiaPtr aia(
      static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(x, NID_info_access, nullptr, nullptr)));
  for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
    const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
    std::string uri = ad->location->type == GEN_URI
                          ? ossl::AsnStringBytes(ad->location->d.uniformResourceIdentifier)
                          : "";
    int nid = OBJ_obj2nid(ad->method);
    if (nid == NID_ad_OCSP && info->ocsp_url.empty()) info->ocsp_url = uri;
    if (nid == NID_ad_ca_issuers && info->ca_issuers_url.empty()) info->ca_issuers_url = uri;
  }
  ossl::CrlDpPtr dps(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(x, NID_crl_distribution_points, nullptr, nullptr)));
  if (dps && sk_DIST_POINT_num(dps.get()) > 0) {
    const DIST_POINT* dp = sk_DIST_POINT_value(dps.get(), 0);
    if (dp->distpoint && dp->distpoint->type == 0) {
      info->crl_url = FirstUri(dp->distpoint->name.fullname);
    }
  }
  ossl::GeneralNamesPtr san(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; san && i < sk_GENERAL_NAME_num(san.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(san.get(), i);
    if (gn->type != GEN_URI) continue;
    auto id = ParseCharacterUrn(ossl::AsnStringBytes(gn->d.uniformResourceIdentifier));
    if (id.ok()) info->character_id = *id;
  }
}

}  // namespace

std::string CertificateToPem(std::string_view der) {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio(bio.get(), "CERTIFICATE", "", reinterpret_cast<const unsigned char*>(der.data()),
                static_cast<long>(der.size()));
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

StatusOr<std::string> CertificateToDer(std::string_view pem_or_der) {
  if (pem_or_der.find("-----BEGIN") == std::string_view::npos) return std::string(pem_or_der);
  VT_ASSIGN_OR_RETURN(auto all, SplitPemCertificates(pem_or_der));
  if (all.size() != 1) return BadCert("expected one PEM certificate");
  return all[0];
}

StatusOr<std::vector<std::string>> SplitPemCertificates(std::string_view pem) {
  ossl::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<std::string> out;
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (!PEM_read_bio(bio.get(), &name, &header, &data, &len)) break;
    bool cert = std::string_view(name) == "CERTIFICATE";
    if (cert) out.emplace_back(reinterpret_cast<char*>(data), static_cast<size_t>(len));
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
  ossl::ClearErrors();  // PEM_read_bio reports "no start line" at the end
  if (out.empty()) return BadCert("no PEM certificate found");
  return out;
}

StatusOr<CertificateInfo> InspectCertificate(std::string_view pem_or_der) {
  VT_ASSIGN_OR_RETURN(ossl::X509Ptr x, Parse(pem_or_der));
  CertificateInfo info;
  const ASN1_INTEGER* serial = X509_get0_serialNumber(x.get());
  info.serial_hex = HexEncode(ossl::AsnStringBytes(serial));
  info.subject_cn = internal::NameEntryUtf8(X509_get_subject_name(x.get()), NID_commonName);
  info.subject_org = internal::NameEntryUtf8(X509_get_subject_name(x.get()), NID_organizationName);
  info.issuer_cn = internal::NameEntryUtf8(X509_get_issuer_name(x.get()), NID_commonName);
  info.not_before = ToTimePoint(X509_get0_notBefore(x.get()));
  info.not_after = ToTimePoint(X509_get0_notAfter(x.get()));
  auto key = crypto::PublicKey::FromEvp(X509_get0_pubkey(x.get()));
  if (!key.ok()) return BadCert("key type is not P-256, Ed25519 or SM2");
  info.key_alg = key->alg();
  info.public_key_der = key->ToDer();
  info.is_ca = X509_check_ca(x.get()) != 0;
  ReadPointers(x.get(), &info);
  int idx = X509_get_ext_by_OBJ(x.get(), internal::IdCardOid(), -1);
  if (idx >= 0) {
    X509_EXTENSION* ext = X509_get_ext(x.get(), idx);
    VT_ASSIGN_OR_RETURN(info.id_card,
                        DecodeIdCardExtension(ossl::AsnStringBytes(X509_EXTENSION_get_data(ext))));
  }
  ossl::ClearErrors();
  return info;
}

StatusOr<crypto::PublicKey> CertificatePublicKey(std::string_view pem_or_der) {
  VT_ASSIGN_OR_RETURN(ossl::X509Ptr x, Parse(pem_or_der));
  auto key = crypto::PublicKey::FromEvp(X509_get0_pubkey(x.get()));
  if (!key.ok()) return BadCert("key type is not P-256, Ed25519 or SM2");
  return key;
}

}  // namespace vt::x509
