// Internal to the x509 module: the state shared by the lint passes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/key.h"
#include "crypto/ossl.h"
#include "x509/profile.h"

namespace vt::x509::internal {

struct LintCtx {
  X509* cert = nullptr;
  X509* issuer = nullptr;  // == cert for a self-signed root
  const Profile* profile = nullptr;
  std::vector<std::string>* findings = nullptr;
  bool self_signed() const { return cert == issuer; }
  void Add(std::string finding) const { findings->push_back(std::move(finding)); }
};

// Lints an in-memory certificate; `issuer` == nullptr means self-signed.
// Decodes no public key (OpenSSL 3.0's key decoders are slow): keys are
// judged from their SubjectPublicKeyInfo encoding. Appends to `findings`.
void LintX509(X509* cert, X509* issuer, ProfileId profile, std::vector<std::string>* findings);

// The algorithm of a SubjectPublicKeyInfo as vtrust writes it (P-256/SM2:
// id-ecPublicKey + named curve + 65-byte uncompressed point; Ed25519: the
// OID, no parameters, 32 bytes); nullopt for anything else.
std::optional<crypto::KeyAlg> SpkiAlg(X509* cert);

// Extension presence, criticality and contents (lint_ext.cc).
void LintExtensions(const LintCtx& ctx);
// Checks presence (reporting "<name>: missing" if `required`) and
// criticality; returns whether the extension is present.
bool Expect(const LintCtx& ctx, int nid, const char* name, bool required, bool critical);
// subjectAltName, AIA, CRL DP, the ID-card extension, ocsp-nocheck (lint_names.cc).
void LintSubjectAltName(const LintCtx& ctx);
void LintRevocationPointers(const LintCtx& ctx);
void LintIdCardAndNoCheck(const LintCtx& ctx);
// The parsed OID of the vtrust ID-card extension (static, never freed).
const ASN1_OBJECT* IdCardOid();

// The subject of `cert`'s first attribute of type `nid`, as UTF-8 ("" if none).
std::string NameEntryUtf8(const X509_NAME* name, int nid);
// Dotted text of an OID.
std::string OidText(const ASN1_OBJECT* obj);
// SHA-1 over the subjectPublicKey BIT STRING (RFC 5280 §4.2.1.2 method 1).
std::string KeyIdentifier(X509* cert);

}  // namespace vt::x509::internal
