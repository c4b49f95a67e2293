// Reading certificates: PEM/DER conversion, the fields vtrust cares about,
// and chain verification (SM2 with the vtrust distinguishing ID).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/key.h"
#include "x509/idcard_ext.h"

namespace vt::x509 {

// PEM "CERTIFICATE" block for DER bytes (not validated).
std::string CertificateToPem(std::string_view der);
// Accepts one PEM certificate or DER; returns the DER. InvalidArgument (field
// "certificate") if it is neither.
StatusOr<std::string> CertificateToDer(std::string_view pem_or_der);
// Every certificate of a PEM bundle, in order, as DER. InvalidArgument if a
// block does not parse or there is none.
StatusOr<std::vector<std::string>> SplitPemCertificates(std::string_view pem);

struct CertificateInfo {
  std::string serial_hex;  // lower-case hex of the serial's magnitude
  std::string subject_cn;
  std::string subject_org;
  std::string issuer_cn;
  TimePoint not_before;
  TimePoint not_after;
  crypto::KeyAlg key_alg = crypto::KeyAlg::kP256;
  std::string public_key_der;  // SubjectPublicKeyInfo
  bool is_ca = false;
  std::optional<std::string> character_id;  // from a urn:vtrust:char: SAN
  std::optional<IdCardExtension> id_card;   // the vtrust extension, if present
  std::string ocsp_url;
  std::string ca_issuers_url;
  std::string crl_url;
};

// Parses a certificate (PEM or DER) without judging it. InvalidArgument if it
// does not parse, its key is not P-256/Ed25519/SM2, or its ID-card extension
// is malformed.
StatusOr<CertificateInfo> InspectCertificate(std::string_view pem_or_der);
// The certificate's subject public key.
StatusOr<crypto::PublicKey> CertificatePublicKey(std::string_view pem_or_der);

// RFC 5280 path validation of `leaf` up to one of `roots` (trust anchors)
// through `intermediates`, at time `at`, with OpenSSL's verifier; SM2
// signatures use the vtrust distinguishing ID. Revocation is the caller's
// business. InvalidArgument with OpenSSL's reason if the chain fails.
Status VerifyCertificateChain(std::string_view leaf, const std::vector<std::string>& intermediates,
                              const std::vector<std::string>& roots, TimePoint at);

}  // namespace vt::x509
