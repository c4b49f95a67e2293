// Fast verification of end-entity certificates from one issuing CA, for the
// hot path (docs/interop.md: card verification at >= 80 % of the raw signature-verify
// rate). OpenSSL 3.0's d2i_X509 decodes the subject key through its provider
// decoders and costs several signature verifications; this verifier walks the
// DER itself and checks the signature with the cached issuer key.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace vt::x509 {

struct VerifiedLeaf {
  std::string serial_hex;  // lower-case hex of the serial's magnitude
  TimePoint not_before;
  TimePoint not_after;
};

class LeafVerifier {
 public:
  // Validates `issuing_cert` under the trust anchor `root_cert` at `at` with
  // OpenSSL's full RFC 5280 path validation (VerifyCertificateChain) and
  // caches what leaf checks need. InvalidArgument if that fails.
  static StatusOr<LeafVerifier> Create(std::string_view issuing_cert, std::string_view root_cert,
                                       TimePoint at);

  // Checks a DER certificate issued by the issuing CA at time `at`: DER
  // structure, v3, signature algorithm (inner = outer = the issuer's), the
  // issuer name, the validity window (and the issuing CA's), and the
  // signature under the issuing CA's key (SM2 with the vtrust ID). Does not
  // check revocation, profiles or extensions (use LintCertificate for those).
  // InvalidArgument (field "certificate") on any failure. Thread-safe.
  StatusOr<VerifiedLeaf> Verify(std::string_view leaf_der, TimePoint at) const;

  struct State;  // implementation detail

 private:
  explicit LeafVerifier(std::shared_ptr<const State> s) : state_(std::move(s)) {}
  std::shared_ptr<const State> state_;
};

}  // namespace vt::x509
