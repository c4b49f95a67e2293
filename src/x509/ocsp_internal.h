// Internal to the x509 module: the OCSP responder's state and request parsing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/ossl.h"
#include "x509/ocsp.h"

namespace vt::x509 {

namespace internal {

// One issuer with everything precomputed for CertID matching and signing.
struct OcspIssuerEntry {
  ossl::X509Ptr issuer;
  std::string issuer_name_der;
  std::string issuer_key_bits;  // subjectPublicKey BIT STRING contents
  std::string name_hash[2];     // indexed by OcspHash
  std::string key_hash[2];
  std::string responder_der;
  std::string responder_key_id;  // SHA-1 of the responder key bits (ResponderID byKey)
  std::optional<crypto::PublicKey> responder_key;
  std::shared_ptr<crypto::Signer> signer;
};

struct ParsedOcspRequest {
  OcspRequestInfo info;
  std::vector<std::string> cert_ids;  // each CertID's DER, in request order
  std::string nonce_extension;        // the whole nonce Extension DER, or ""
};

StatusOr<OcspIssuerEntry> MakeOcspIssuerEntry(const OcspIssuer& issuer);

}  // namespace internal

struct OcspResponder::State {
  std::vector<internal::OcspIssuerEntry> issuers;
  const Clock* clock = nullptr;
  std::chrono::seconds validity{0};
};

namespace internal {
// InvalidArgument (malformed) or PermissionDenied (unknown/mixed issuers).
StatusOr<ParsedOcspRequest> ParseOcspRequest(const OcspResponder::State& state,
                                             std::string_view der);
}  // namespace internal

}  // namespace vt::x509
