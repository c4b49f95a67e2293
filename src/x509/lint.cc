#include "x509/lint.h"

#include <openssl/sha.h>

#include <algorithm>

#include "crypto/key.h"
#include "x509/lint_internal.h"

namespace vt::x509 {
namespace internal {

std::string NameEntryUtf8(const X509_NAME* name, int nid) {
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return "";
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::string OidText(const ASN1_OBJECT* obj) {
  char buf[256];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return n > 0 && n < static_cast<int>(sizeof buf) ? std::string(buf, n) : "";
}

std::optional<crypto::KeyAlg> SpkiAlg(X509* cert) {
  ASN1_OBJECT* oid = nullptr;
  const unsigned char* key = nullptr;
  int key_len = 0;
  X509_ALGOR* alg = nullptr;
  if (!X509_PUBKEY_get0_param(&oid, &key, &key_len, &alg, X509_get_X509_PUBKEY(cert))) {
    return std::nullopt;
  }
  int ptype = 0;
  const void* param = nullptr;
  X509_ALGOR_get0(nullptr, &ptype, &param, alg);
  int nid = OBJ_obj2nid(oid);
  if (nid == NID_ED25519 && ptype == V_ASN1_UNDEF && key_len == 32) return crypto::KeyAlg::kEd25519;
  if (nid != NID_X9_62_id_ecPublicKey || ptype != V_ASN1_OBJECT || key_len != 65 ||
      key[0] != 0x04) {
    return std::nullopt;
  }
  int curve = OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(param));
  if (curve == NID_X9_62_prime256v1) return crypto::KeyAlg::kP256;
  if (curve == NID_sm2) return crypto::KeyAlg::kSm2;
  return std::nullopt;
}

std::string KeyIdentifier(X509* cert) {
  const ASN1_BIT_STRING* key = X509_get0_pubkey_bitstr(cert);
  if (key == nullptr) return "";
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(ASN1_STRING_get0_data(key), static_cast<size_t>(ASN1_STRING_length(key)), md);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

}  // namespace internal

namespace {

using internal::LintCtx;

size_t Utf8Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

void LintVersionAndSerial(const LintCtx& ctx) {
  if (X509_get_version(ctx.cert) != X509_VERSION_3) ctx.Add("version: not v3");
  const ASN1_INTEGER* serial = X509_get0_serialNumber(ctx.cert);
  if (ASN1_STRING_type(serial) != V_ASN1_INTEGER) {
    ctx.Add("serial: not positive (RFC 5280 §4.1.2.2)");
    return;
  }
  int len = ASN1_STRING_length(serial);
  const unsigned char* data = ASN1_STRING_get0_data(serial);
  if (len > 20) ctx.Add("serial: longer than 20 octets (RFC 5280 §4.1.2.2)");
  if (len != 16 || data[0] == 0 || (data[0] & 0x80) != 0) {
    ctx.Add("serial: not a 16-octet random value with a nonzero first octet");
  }
}

// RFC 5280 §4.1.2.5: UTCTime (YYMMDDHHMMSSZ) through 2049, GeneralizedTime
// (YYYYMMDDHHMMSSZ) from 2050, always Zulu and with seconds.
void LintTime(const LintCtx& ctx, const ASN1_TIME* t, const char* which) {
  std::string s = ossl::AsnStringBytes(t);
  bool utc = ASN1_STRING_type(t) == V_ASN1_UTCTIME;
  size_t want = utc ? 13 : 15;
  if (s.size() != want || s.back() != 'Z' || !ASN1_TIME_check(t)) {
    ctx.Add(std::string("validity: malformed ") + which);
    return;
  }
  int year = utc ? std::stoi(s.substr(0, 2)) : std::stoi(s.substr(0, 4));
  if (utc) year += year >= 50 ? 1900 : 2000;
  if (utc != (year < 2050)) {
    ctx.Add(std::string("validity: ") + which + " must be " +
            (year < 2050 ? "UTCTime" : "GeneralizedTime") + " for year " + std::to_string(year));
  }
}

void LintValidity(const LintCtx& ctx) {
  const ASN1_TIME* nb = X509_get0_notBefore(ctx.cert);
  const ASN1_TIME* na = X509_get0_notAfter(ctx.cert);
  LintTime(ctx, nb, "notBefore");
  LintTime(ctx, na, "notAfter");
  int days = 0, secs = 0;
  if (!ASN1_TIME_diff(&days, &secs, nb, na)) {
    ctx.Add("validity: cannot compare times");
    return;
  }
  if (!ctx.self_signed() && ASN1_TIME_compare(na, X509_get0_notAfter(ctx.issuer)) > 0) {
    ctx.Add("validity: notAfter is later than the issuer's notAfter");
  }
  long long span = static_cast<long long>(days) * 86400 + secs;
  if (span <= 0) ctx.Add("validity: notAfter is not after notBefore");
  if (span > ctx.profile->max_lifetime.count()) {
    ctx.Add("validity: " + std::to_string(span / 86400) + " days exceeds the " +
            std::string(ProfileName(ctx.profile->id)) + " maximum of " +
            std::to_string(ctx.profile->max_lifetime.count() / 86400) + " days");
  }
}

void LintNames(const LintCtx& ctx) {
  const X509_NAME* subject = X509_get_subject_name(ctx.cert);
  const X509_NAME* issuer = X509_get_issuer_name(ctx.cert);
  if (X509_NAME_entry_count(issuer) == 0) ctx.Add("issuer: empty name");
  if (X509_NAME_cmp(issuer, X509_get_subject_name(ctx.issuer)) != 0) {
    ctx.Add("issuer: name differs from the issuing certificate's subject");
  }
  std::string cn = internal::NameEntryUtf8(subject, NID_commonName);
  if (cn.empty()) ctx.Add("subject: no commonName");
  if (Utf8Chars(cn) > 64) ctx.Add("subject: commonName longer than 64 characters");
  if (X509_NAME_get_index_by_NID(subject, NID_commonName,
                                 X509_NAME_get_index_by_NID(subject, NID_commonName, -1)) >= 0) {
    ctx.Add("subject: more than one commonName");
  }
  std::string org = internal::NameEntryUtf8(subject, NID_organizationName);
  if (ctx.profile->requires_org && org.empty()) ctx.Add("subject: no organizationName");
  if (Utf8Chars(org) > 64) ctx.Add("subject: organizationName longer than 64 characters");
}

int ExpectedSignatureNid(crypto::KeyAlg alg) {
  switch (alg) {
    case crypto::KeyAlg::kP256:
      return NID_ecdsa_with_SHA256;
    case crypto::KeyAlg::kEd25519:
      return NID_ED25519;
    case crypto::KeyAlg::kSm2:
      return NID_SM2_with_SM3;
  }
  return NID_undef;
}

void LintKeys(const LintCtx& ctx) {
  auto subject_alg = internal::SpkiAlg(ctx.cert);
  auto issuer_alg = internal::SpkiAlg(ctx.issuer);
  if (!subject_alg) {
    ctx.Add("key: subject key is not an uncompressed P-256/SM2 point or an Ed25519 key");
  } else {
    const auto& allowed = ctx.profile->key_algs;
    if (std::find(allowed.begin(), allowed.end(), *subject_alg) == allowed.end()) {
      ctx.Add("key: " + std::string(crypto::KeyAlgName(*subject_alg)) + " is not allowed by the " +
              std::string(ProfileName(ctx.profile->id)) + " profile");
    }
  }
  if (!issuer_alg) {
    ctx.Add("signature: issuer key type is not supported");
    return;
  }
  if (subject_alg && *subject_alg != *issuer_alg) {
    ctx.Add("key: subject key algorithm differs from the issuing CA's");
  }
  const X509_ALGOR* outer = nullptr;
  X509_get0_signature(nullptr, &outer, ctx.cert);
  const X509_ALGOR* inner = X509_get0_tbs_sigalg(ctx.cert);
  if (X509_ALGOR_cmp(outer, inner) != 0) ctx.Add("signature: algorithm differs inside and outside");
  const ASN1_OBJECT* obj = nullptr;
  int ptype = 0;
  X509_ALGOR_get0(&obj, &ptype, nullptr, inner);
  if (OBJ_obj2nid(obj) != ExpectedSignatureNid(*issuer_alg)) {
    ctx.Add("signature: algorithm " + internal::OidText(obj) + " does not match the issuer's " +
            std::string(crypto::KeyAlgName(*issuer_alg)) + " key");
  }
  if (ptype != V_ASN1_UNDEF) ctx.Add("signature: algorithm parameters must be absent");
}

}  // namespace

namespace internal {

void LintX509(X509* cert, X509* issuer, ProfileId profile, std::vector<std::string>* findings) {
  LintCtx ctx;
  ctx.cert = cert;
  ctx.issuer = issuer != nullptr ? issuer : cert;
  ctx.profile = &GetProfile(profile);
  ctx.findings = findings;
  if ((profile == ProfileId::kRootCa) != ctx.self_signed()) {
    ctx.Add("issuer: only the root-ca profile is self-signed");
  }
  LintVersionAndSerial(ctx);
  LintValidity(ctx);
  LintNames(ctx);
  LintKeys(ctx);
  LintExtensions(ctx);
  ossl::ClearErrors();
}

}  // namespace internal

std::vector<std::string> LintCertificate(std::string_view cert_der, const LintInput& input) {
  ossl::X509Ptr cert = ossl::ParseDerExact<ossl::X509Ptr>(cert_der, d2i_X509);
  ossl::X509Ptr issuer = input.issuer_der.empty()
                             ? nullptr
                             : ossl::ParseDerExact<ossl::X509Ptr>(input.issuer_der, d2i_X509);
  ossl::ClearErrors();
  if (!cert) return {"der: not a certificate"};
  if (!input.issuer_der.empty() && !issuer) return {"issuer: not a certificate"};
  std::vector<std::string> findings;
  internal::LintX509(cert.get(), issuer.get(), input.profile, &findings);
  return findings;
}

Status FindingsToStatus(const std::vector<std::string>& findings) {
  if (findings.empty()) return OkStatus();
  std::string msg = "certificate lint refused issuance:";
  for (const auto& f : findings) msg += "\n  " + f;
  return FailedPreconditionError(std::move(msg));
}

}  // namespace vt::x509
