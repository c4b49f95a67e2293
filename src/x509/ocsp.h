// RFC 6960 OCSP responder core: parses DER OCSPRequests, answers them with a
// BasicOCSPResponse signed by the issuing CA's delegated OCSP-signing
// certificate (included in `certs`), echoes the nonce (RFC 8954), and
// pre-signs nonce-less single responses for caching. No HTTP here: the API
// layer maps GET/POST onto Respond() and serves cached bytes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/signer.h"
#include "x509/crl.h"

namespace vt::x509 {

// OCSPResponseStatus (RFC 6960 §4.2.1).
enum class OcspResponseStatus {
  kSuccessful = 0,
  kMalformedRequest = 1,
  kInternalError = 2,
  kTryLater = 3,
  kSigRequired = 5,
  kUnauthorized = 6,
};

enum class OcspCertState { kGood, kRevoked, kUnknown };

struct OcspCertStatus {
  OcspCertState state = OcspCertState::kUnknown;
  TimePoint revocation_time;                   // kRevoked only
  CrlReason reason = CrlReason::kUnspecified;  // kRevoked only; omitted if unspecified
};

// CertID hash algorithms accepted: SHA-1 (what `openssl ocsp` and most
// clients send) and SHA-256.
enum class OcspHash { kSha1, kSha256 };

// One issuing CA the responder answers for.
struct OcspIssuer {
  std::string issuer_cert;                 // the issuing CA certificate (PEM or DER)
  std::string responder_cert;              // its delegated OCSP-signing certificate (PEM or DER)
  std::shared_ptr<crypto::Signer> signer;  // holds the responder certificate's key
};

// What a request asks, once parsed and matched to an issuer.
struct OcspRequestInfo {
  struct Item {
    std::string serial_hex;  // lower-case hex of the serial's magnitude
    OcspHash hash = OcspHash::kSha1;
  };
  size_t issuer_index = 0;  // index into the OcspIssuer list given to Create
  std::vector<Item> items;
  bool has_nonce = false;
};

// The status of `serial_hex` among the certificates of issuer `issuer_index`;
// kUnknown for serials that issuer never issued. An error makes the responder
// answer internalError (tryLater for Unavailable).
using OcspStatusLookup =
    std::function<StatusOr<OcspCertStatus>(size_t issuer_index, const std::string& serial_hex)>;

class OcspResponder {
 public:
  // At most this many CertIDs per request (more: malformedRequest).
  static constexpr size_t kMaxRequestItems = 64;

  // InvalidArgument if a certificate does not parse, a responder certificate
  // is not issued by its issuer, lacks the OCSPSigning EKU, or its key is not
  // the signer's. `clock` must outlive the responder. `validity` is the
  // nextUpdate - thisUpdate of the responses Respond() signs.
  static StatusOr<OcspResponder> Create(std::vector<OcspIssuer> issuers, const Clock& clock,
                                        std::chrono::seconds validity = std::chrono::hours(1));

  // Parses `request_der` and matches its CertIDs to an issuer. InvalidArgument
  // for malformed requests, PermissionDenied if a CertID names no known
  // issuer or the CertIDs name different issuers.
  StatusOr<OcspRequestInfo> ParseRequest(std::string_view request_der) const;

  // A complete DER OCSPResponse for `request_der`: successful with one
  // SingleResponse per CertID (echoing each CertID and the nonce), or
  // malformedRequest / unauthorized / internalError / tryLater. Never fails.
  // Thread-safe if the lookup and signers are.
  std::string Respond(std::string_view request_der, const OcspStatusLookup& lookup) const;

  // A complete DER OCSPResponse without a nonce for one certificate of issuer
  // `issuer_index`, for the caller to cache and serve to nonce-less requests
  // with the same (issuer, serial, hash) until shortly before `next_update`.
  StatusOr<std::string> SignSingleResponse(size_t issuer_index, const std::string& serial_hex,
                                           const OcspCertStatus& status, TimePoint this_update,
                                           TimePoint next_update,
                                           OcspHash hash = OcspHash::kSha1) const;

  // The bare OCSPResponse for an unsuccessful status (no responseBytes).
  static std::string ErrorResponse(OcspResponseStatus status);

  size_t issuer_count() const;

  struct State;  // implementation detail

 private:
  explicit OcspResponder(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

// What a verified OCSP response says about one certificate.
struct OcspVerifiedStatus {
  OcspCertStatus status;
  TimePoint this_update;
  TimePoint next_update;
};

// Client side: checks a DER OCSPResponse for the certificate `serial_hex` of
// `issuer_cert` (PEM or DER) at time `at`: successful status, signature by the
// issuer or by a delegated responder certificate (in `certs`) that the issuer
// signed and that has the OCSPSigning EKU (SM2 with the vtrust ID, which
// `openssl ocsp` cannot do), a SingleResponse for that serial (SHA-1 or
// SHA-256 CertID), thisUpdate <= at + 5 min and at <= nextUpdate.
// InvalidArgument (field "ocsp_response") when any check fails.
StatusOr<OcspVerifiedStatus> VerifyOcspResponse(std::string_view response_der,
                                                std::string_view issuer_cert,
                                                const std::string& serial_hex, TimePoint at);

}  // namespace vt::x509
