// Extension checks of the linter (RFC 5280 §4.2 and the vtrust profiles).
#include <algorithm>
#include <set>

#include "x509/idcard_ext.h"
#include "x509/lint_internal.h"
#include "x509/registry_id.h"

namespace vt::x509::internal {

const ASN1_OBJECT* IdCardOid() {
  static const ASN1_OBJECT* oid = OBJ_txt2obj(std::string(kIdCardExtensionOid).c_str(), 1);
  return oid;
}

namespace {

// Criticality of the extension with `nid`: -1 absent, 0 or 1.
int Criticality(X509* cert, int nid) {
  int idx = X509_get_ext_by_NID(cert, nid, -1);
  return idx < 0 ? -1 : X509_EXTENSION_get_critical(X509_get_ext(cert, idx));
}

}  // namespace

// Presence and criticality; returns true if present. Extensions a profile
// forbids outright are reported by LintExtensionSet.
bool Expect(const LintCtx& ctx, int nid, const char* name, bool required, bool critical) {
  int crit = Criticality(ctx.cert, nid);
  if (crit < 0) {
    if (required) ctx.Add(std::string(name) + ": missing");
    return false;
  }
  if (crit != (critical ? 1 : 0)) {
    ctx.Add(std::string(name) + (critical ? ": must be critical" : ": must not be critical"));
  }
  return true;
}

namespace {

void LintExtensionSet(const LintCtx& ctx) {
  std::set<std::string> seen;
  const Profile& p = *ctx.profile;
  std::set<int> allowed = {NID_basic_constraints,      NID_key_usage,
                           NID_subject_key_identifier, NID_authority_key_identifier,
                           NID_subject_alt_name,       NID_info_access,
                           NID_crl_distribution_points};
  if (!p.ekus.empty()) allowed.insert(NID_ext_key_usage);
  if (p.ocsp_nocheck) allowed.insert(NID_id_pkix_OCSP_noCheck);
  for (int i = 0; i < X509_get_ext_count(ctx.cert); ++i) {
    X509_EXTENSION* ext = X509_get_ext(ctx.cert, i);
    const ASN1_OBJECT* obj = X509_EXTENSION_get_object(ext);
    std::string oid = OidText(obj);
    if (!seen.insert(oid).second) ctx.Add("extensions: " + oid + " appears twice");
    bool ok =
        allowed.count(OBJ_obj2nid(obj)) > 0 || (p.character && OBJ_cmp(obj, IdCardOid()) == 0);
    if (!ok) ctx.Add("extensions: " + oid + " is not allowed in this profile");
  }
}

void LintBasicConstraints(const LintCtx& ctx) {
  if (!Expect(ctx, NID_basic_constraints, "basicConstraints", true, true)) return;
  ossl::BasicConstraintsPtr bc(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(ctx.cert, NID_basic_constraints, nullptr, nullptr)));
  if (!bc) return ctx.Add("basicConstraints: undecodable");
  bool is_ca = bc->ca != 0;
  if (is_ca != ctx.profile->is_ca) {
    ctx.Add(is_ca ? "basicConstraints: cA TRUE on an end-entity profile"
                  : "basicConstraints: cA FALSE on a CA profile");
  }
  std::optional<int> path_len;
  if (bc->pathlen != nullptr) path_len = static_cast<int>(ASN1_INTEGER_get(bc->pathlen));
  if (path_len != ctx.profile->path_len) ctx.Add("basicConstraints: wrong pathLenConstraint");
}

std::string KuNames(uint32_t bits) {
  static const char* kNames[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                 "dataEncipherment", "keyAgreement",   "keyCertSign",
                                 "cRLSign",          "encipherOnly",   "decipherOnly"};
  std::string out;
  for (int i = 0; i < 9; ++i) {
    if (bits & (1u << i)) out += (out.empty() ? "" : ",") + std::string(kNames[i]);
  }
  return out.empty() ? "none" : out;
}

void LintKeyUsage(const LintCtx& ctx) {
  if (!Expect(ctx, NID_key_usage, "keyUsage", true, true)) return;
  ossl::Asn1BitStringPtr ku(
      static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(ctx.cert, NID_key_usage, nullptr, nullptr)));
  if (!ku) return ctx.Add("keyUsage: undecodable");
  uint32_t bits = 0;
  for (int i = 0; i < 9; ++i) bits |= ASN1_BIT_STRING_get_bit(ku.get(), i) ? (1u << i) : 0;
  if (bits & (kKuKeyCertSign | kKuCrlSign)) {
    if (!ctx.profile->is_ca) ctx.Add("keyUsage: keyCertSign/cRLSign on a non-CA certificate");
  } else if (ctx.profile->is_ca) {
    ctx.Add("keyUsage: CA certificate without keyCertSign");
  }
  if (bits != ctx.profile->key_usage) {
    ctx.Add("keyUsage: " + KuNames(bits) + " but the profile requires " +
            KuNames(ctx.profile->key_usage));
  }
}

void LintEku(const LintCtx& ctx) {
  const auto& want = ctx.profile->ekus;
  if (!Expect(ctx, NID_ext_key_usage, "extKeyUsage", !want.empty(), ctx.profile->eku_critical))
    return;
  ossl::EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(ctx.cert, NID_ext_key_usage, nullptr, nullptr)));
  if (!eku) return ctx.Add("extKeyUsage: undecodable");
  std::set<std::string> got;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    got.insert(OidText(sk_ASN1_OBJECT_value(eku.get(), i)));
  }
  if (got.count(std::string(kEkuAny))) ctx.Add("extKeyUsage: anyExtendedKeyUsage is not allowed");
  if (ctx.profile->id == ProfileId::kC2paSigning && !got.count(std::string(kEkuC2paClaimSigning))) {
    ctx.Add("extKeyUsage: C2PA signer without c2pa-kp-claimSigning");
  }
  // RFC 3161 §2.3: a TSA certificate has id-kp-timeStamping as its only EKU.
  if (ctx.profile->id == ProfileId::kTimeStamping &&
      got != std::set<std::string>{std::string(kEkuTimeStamping)}) {
    ctx.Add("extKeyUsage: a TSA certificate must have id-kp-timeStamping alone");
  }
  if (got != std::set<std::string>(want.begin(), want.end())) {
    ctx.Add("extKeyUsage: does not equal the profile's set");
  }
}

void LintKeyIds(const LintCtx& ctx) {
  if (Expect(ctx, NID_subject_key_identifier, "subjectKeyIdentifier", true, false)) {
    const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(ctx.cert);
    if (ossl::AsnStringBytes(ski) != KeyIdentifier(ctx.cert)) {
      ctx.Add("subjectKeyIdentifier: not the SHA-1 of the subject public key");
    }
  }
  if (!Expect(ctx, NID_authority_key_identifier, "authorityKeyIdentifier", !ctx.self_signed(),
              false)) {
    return;
  }
  ossl::AkidPtr akid(static_cast<AUTHORITY_KEYID*>(
      X509_get_ext_d2i(ctx.cert, NID_authority_key_identifier, nullptr, nullptr)));
  if (!akid || akid->keyid == nullptr) return ctx.Add("authorityKeyIdentifier: no keyIdentifier");
  if (akid->issuer != nullptr || akid->serial != nullptr) {
    ctx.Add("authorityKeyIdentifier: must hold only the keyIdentifier");
  }
  if (ossl::AsnStringBytes(akid->keyid) !=
      ossl::AsnStringBytes(X509_get0_subject_key_id(ctx.issuer))) {
    ctx.Add("authorityKeyIdentifier: does not match the issuer's subjectKeyIdentifier");
  }
}

}  // namespace

void LintExtensions(const LintCtx& ctx) {
  LintExtensionSet(ctx);
  LintBasicConstraints(ctx);
  LintKeyUsage(ctx);
  LintEku(ctx);
  LintKeyIds(ctx);
  LintSubjectAltName(ctx);
  LintRevocationPointers(ctx);
  LintIdCardAndNoCheck(ctx);
}

}  // namespace vt::x509::internal
