// Internal to the x509 module: builds an unsigned X509 following a Profile,
// and the lint-then-sign pipeline shared by root creation and Ca::Issue.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/rng.h"
#include "crypto/ossl.h"
#include "crypto/signer.h"
#include "x509/cert_request.h"
#include "x509/profile.h"
#include "x509/sign_internal.h"

namespace vt::x509::internal {

struct TbsSpec {
  const Profile* profile = nullptr;
  std::string serial;  // 16-octet magnitude
  TimePoint not_before;
  TimePoint not_after;
  const crypto::PublicKey* subject_key = nullptr;
  X509* issuer = nullptr;  // nullptr: self-signed
  const CertRequest* request = nullptr;
  const CaUrls* urls = nullptr;  // used when profile->revocable
};

// An unsigned certificate with every field and extension set. InvalidArgument
// for request values OpenSSL refuses (over-long names, non-ASCII URIs).
StatusOr<ossl::X509Ptr> BuildUnsignedCertificate(const TbsSpec& spec);

// Everything needed to sign as one CA (or as a root signing itself).
struct IssuerContext {
  X509* cert = nullptr;                           // nullptr: self-signed root being created
  std::string cert_der;                           // "" when cert is nullptr
  const crypto::PublicKey* issuer_key = nullptr;  // nullptr: the subject key (root)
  crypto::Signer* signer = nullptr;
  const ThrowawayKey* throwaway = nullptr;
  const CaUrls* urls = nullptr;
  const Clock* clock = nullptr;
  Rng* rng = nullptr;
};

// Builds per `profile`, signs a throwaway copy, lints it against the canonical
// profile of profile.id (FailedPrecondition listing the findings), stores the
// serial, signs with the real signer and checks that the final certificate's
// TBS equals the linted one.
StatusOr<IssuedCert> IssueCertificate(const IssuerContext& issuer, const Profile& profile,
                                      const crypto::PublicKey& subject_key,
                                      const CertRequest& request, const StoreSerialFn& store);

}  // namespace vt::x509::internal
