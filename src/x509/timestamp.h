// RFC 3161 time-stamping on OpenSSL's TS support (ts.h): the authority's
// responder (TS_RESP_CTX), the requester's request and reply handling, and the
// verification of a TimeStampToken (TS_VERIFY_CTX). docs/c2pa.md, "Timestamps",
// describes how vtrust uses it.
//
// The authority signs with a software key (crypto::PrivateKey): OpenSSL's
// responder signs the CMS SignedData itself and checks that the key matches the
// certificate, so it needs the EVP_PKEY (a PKCS#11 TSA key would need an
// OpenSSL provider for the token; docs/c2pa.md, "Timestamps").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/rng.h"
#include "base/status.h"
#include "crypto/key.h"

namespace vt::x509 {

// The TSA policy vtrust's authority answers under: vtrust's arc (idcard_ext.h)
// .2 (policies) .1 (time-stamping).
inline constexpr std::string_view kTsaPolicyOid = "2.25.3842954383248606839.2.1";

class TimeStampAuthority {
 public:
  // `key` is the TSA key (P-256), `cert_der` its certificate (profile
  // "time-stamping": EKU id-kp-timeStamping, critical), `chain_der` the
  // issuing CA's certificate(s) included in tokens when the request sets
  // certReq. InvalidArgument if the certificate does not match the key or
  // lacks the EKU. The clock and rng must outlive the authority.
  static StatusOr<TimeStampAuthority> Create(crypto::PrivateKey key, std::string cert_der,
                                             std::vector<std::string> chain_der, const Clock& clock,
                                             Rng& rng);

  // Answers a DER TimeStampReq with a DER TimeStampResp (RFC 3161 §2.4.2):
  // granted with a token (SHA-256 signer digest, ESS signingCertificateV2,
  // genTime with second precision and accuracy of 1 s, a random 128-bit
  // serial), or a rejection (badRequest, badAlg, unacceptedPolicy...) for a
  // bad request. Internal only when the signer fails. Thread-safe.
  StatusOr<std::string> Respond(std::string_view request_der) const;

  const std::string& certificate_der() const;

 private:
  struct State;
  explicit TimeStampAuthority(std::shared_ptr<const State> s) : state_(std::move(s)) {}
  std::shared_ptr<const State> state_;
};

// A TimeStampReq (RFC 3161 §2.4.1) for SHA-256(`message`), certReq true, with
// an 8-byte nonce from `rng`. Returns the DER.
StatusOr<std::string> BuildTimeStampRequest(std::string_view message, Rng& rng);

// The TimeStampToken (DER ContentInfo) of a TimeStampResp answering
// `request_der`: FailedPrecondition naming the TSA's status if not granted;
// InvalidArgument if it does not parse or does not answer this request (imprint,
// nonce).
StatusOr<std::string> TokenFromResponse(std::string_view response_der,
                                        std::string_view request_der);

enum class TokenCheck {
  kValid,      // imprint and signature match; the TSA chains to an anchor
  kMismatch,   // the token is not over this message, or its signature is bad
  kUntrusted,  // the TSA certificate does not chain to an anchor at genTime,
               // or lacks a critical id-kp-timeStamping EKU
  kMalformed,  // not a TimeStampToken
};

struct TokenReport {
  TokenCheck check = TokenCheck::kMalformed;
  TimePoint gen_time{};
  std::string tsa_subject;  // "CN=..., O=..." of the TSA certificate, when found
  std::string explanation;
};

// Verifies a TimeStampToken over `message` (any digest the token names), its
// CMS signature with the TSA certificate carried in the token (ESS certificate
// ID checked), then that certificate's chain to `anchors_der` at the token's
// genTime, with the timeStamping purpose (RFC 3161 §2.3). `extra_der` are
// further untrusted intermediates.
TokenReport VerifyTimeStampToken(std::string_view token_der, std::string_view message,
                                 const std::vector<std::string>& anchors_der,
                                 const std::vector<std::string>& extra_der = {});

}  // namespace vt::x509
