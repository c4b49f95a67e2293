// Linter passes over names and pointers: subjectAltName, authorityInfoAccess,
// cRLDistributionPoints, the vtrust ID-card extension and ocsp-nocheck.
#include <cctype>

#include "x509/idcard_ext.h"
#include "x509/lint_internal.h"
#include "x509/registry_id.h"

namespace vt::x509::internal {
namespace {

bool IsHttpUrl(const std::string& s, bool allow_https = true) {
  bool scheme = s.rfind("http://", 0) == 0 || (allow_https && s.rfind("https://", 0) == 0);
  return scheme && s.size() > 8 && s.size() < 2048 &&
         s.find_first_of(" \t\r\n\"<>\\") == std::string::npos;
}

std::string UriOf(const GENERAL_NAME* gn) {
  return gn->type == GEN_URI ? ossl::AsnStringBytes(gn->d.uniformResourceIdentifier) : "";
}

bool StartsWithNoCase(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// The registry id of the single character URN in the SAN, or "".
std::string SanCharacterId(const LintCtx& ctx) {
  ossl::GeneralNamesPtr san(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(ctx.cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!san) return "";
  for (int i = 0; i < sk_GENERAL_NAME_num(san.get()); ++i) {
    auto id = ParseCharacterUrn(UriOf(sk_GENERAL_NAME_value(san.get(), i)));
    if (id.ok()) return *id;
  }
  return "";
}

}  // namespace

void LintSubjectAltName(const LintCtx& ctx) {
  bool character = ctx.profile->character;
  if (!Expect(ctx, NID_subject_alt_name, "subjectAltName", character, false)) return;
  ossl::GeneralNamesPtr san(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(ctx.cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!san || sk_GENERAL_NAME_num(san.get()) == 0) return ctx.Add("subjectAltName: empty");
  int urns = 0;
  for (int i = 0; i < sk_GENERAL_NAME_num(san.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(san.get(), i);
    if (gn->type != GEN_URI && gn->type != GEN_EMAIL) {
      ctx.Add("subjectAltName: only URI and rfc822Name entries are allowed");
      continue;
    }
    std::string uri = UriOf(gn);
    if (!StartsWithNoCase(uri, kCharacterUrnPrefix)) continue;
    ++urns;
    auto id = ParseCharacterUrn(uri);
    if (!id.ok())
      ctx.Add("subjectAltName: bad character URN \"" + uri + "\": " + id.status().message());
  }
  if (character && (urns != 1 || sk_GENERAL_NAME_num(san.get()) != 1)) {
    ctx.Add("subjectAltName: an ID card names exactly one urn:vtrust:char: URI");
  }
}

void LintRevocationPointers(const LintCtx& ctx) {
  bool required = ctx.profile->revocable;
  if (Expect(ctx, NID_info_access, "authorityInfoAccess", required, false)) {
    ossl::AiaPtr aia(static_cast<AUTHORITY_INFO_ACCESS*>(
        X509_get_ext_d2i(ctx.cert, NID_info_access, nullptr, nullptr)));
    int ocsp = 0, issuers = 0;
    for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
      const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
      int method = OBJ_obj2nid(ad->method);
      std::string uri = UriOf(ad->location);
      if (method == NID_ad_OCSP) ++ocsp;
      if (method == NID_ad_ca_issuers) ++issuers;
      // RFC 6960 responders are reached over plain HTTP (no TLS loop).
      if (!IsHttpUrl(uri, method != NID_ad_OCSP)) {
        ctx.Add("authorityInfoAccess: not an http URL: \"" + uri + "\"");
      }
    }
    if (required && (ocsp != 1 || issuers != 1)) {
      ctx.Add("authorityInfoAccess: needs exactly one OCSP and one caIssuers URL");
    }
  }
  if (!Expect(ctx, NID_crl_distribution_points, "cRLDistributionPoints", required, false)) return;
  ossl::CrlDpPtr dps(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(ctx.cert, NID_crl_distribution_points, nullptr, nullptr)));
  if (!dps || sk_DIST_POINT_num(dps.get()) == 0) return ctx.Add("cRLDistributionPoints: empty");
  for (int i = 0; i < sk_DIST_POINT_num(dps.get()); ++i) {
    const DIST_POINT* dp = sk_DIST_POINT_value(dps.get(), i);
    if (dp->reasons != nullptr || dp->CRLissuer != nullptr || dp->distpoint == nullptr ||
        dp->distpoint->type != 0 || sk_GENERAL_NAME_num(dp->distpoint->name.fullname) != 1 ||
        !IsHttpUrl(UriOf(sk_GENERAL_NAME_value(dp->distpoint->name.fullname, 0)))) {
      ctx.Add("cRLDistributionPoints: each point must be one http URL, no reasons or issuer");
    }
  }
}

void LintIdCardAndNoCheck(const LintCtx& ctx) {
  if (ctx.profile->ocsp_nocheck &&
      Expect(ctx, NID_id_pkix_OCSP_noCheck, "ocspNoCheck", true, false)) {
    X509_EXTENSION* ext =
        X509_get_ext(ctx.cert, X509_get_ext_by_NID(ctx.cert, NID_id_pkix_OCSP_noCheck, -1));
    if (ossl::AsnStringBytes(X509_EXTENSION_get_data(ext)) != std::string("\x05\x00", 2)) {
      ctx.Add("ocspNoCheck: value must be NULL");
    }
  }
  if (!ctx.profile->character) return;
  int idx = X509_get_ext_by_OBJ(ctx.cert, IdCardOid(), -1);
  if (idx < 0) return ctx.Add("vtrustIdCard: missing");
  X509_EXTENSION* ext = X509_get_ext(ctx.cert, idx);
  if (X509_EXTENSION_get_critical(ext)) ctx.Add("vtrustIdCard: must not be critical");
  auto card = DecodeIdCardExtension(ossl::AsnStringBytes(X509_EXTENSION_get_data(ext)));
  if (!card.ok()) return ctx.Add("vtrustIdCard: " + card.status().message());
  if (card->registry_id != SanCharacterId(ctx)) {
    ctx.Add("vtrustIdCard: registryId differs from the subjectAltName URN");
  }
  if (card->owner_org != NameEntryUtf8(X509_get_subject_name(ctx.cert), NID_organizationName)) {
    ctx.Add("vtrustIdCard: ownerOrg differs from the subject organizationName");
  }
}

}  // namespace vt::x509::internal
