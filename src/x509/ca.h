// The vtrust certification authority (docs/id-card-profile.md): one Ca object per CA
// certificate and key. Roots are self-signed (one per algorithm family) and
// issue only issuing CAs; issuing CAs issue ID cards, member, OCSP-signing
// and C2PA-signing certificates, and sign CRLs.
//
// Every certificate goes through one pipeline: the profile's builder produces
// the certificate, a throwaway copy signed with a throwaway key of the same
// algorithm is linted (lint.h) and any finding refuses issuance with
// FailedPrecondition; then `store_serial` is called (a failure stops here),
// the real crypto::Signer signs the TBS bytes, the signature is verified
// under the CA certificate's key, and the final TBS is checked against the
// linted TBS. Nothing reaches the Signer before the lint and the serial
// callback have succeeded.
//
// A Ca is cheap to copy (shared immutable state) and its const methods are
// thread-safe if the Signer, Clock and Rng are.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/rng.h"
#include "crypto/signer.h"
#include "x509/cert_request.h"
#include "x509/crl.h"
#include "x509/profile.h"

namespace vt::x509 {

struct IdCardRequest {
  std::string primary_name;          // subject CN (the character's primary name)
  IdCardExtension card;              // card.owner_org is also the subject O
  std::chrono::seconds lifetime{0};  // 0 = profile default (1 year)
};

struct MemberRequest {
  SubjectName subject;  // CN = person or organization, O = organization
  std::vector<std::string> emails;
  std::chrono::seconds lifetime{0};
};

struct C2paRequest {
  SubjectName subject;
  std::optional<std::string> character_id;  // adds urn:vtrust:char:<id> to the SAN
  std::chrono::seconds lifetime{0};
};

class Ca {
 public:
  // Wraps an existing CA certificate (PEM or DER) and the Signer holding its
  // key. InvalidArgument if the certificate does not parse or is not a CA;
  // FailedPrecondition if the signer's public key is not the certificate's.
  // `urls` go into the AIA/CRL DP of the certificates this CA issues.
  // `clock` and `rng` must outlive the Ca and every copy of it.
  static StatusOr<Ca> Create(std::string_view certificate, std::shared_ptr<crypto::Signer> signer,
                             CaUrls urls, const Clock& clock, Rng& rng);

  // A self-signed root over the signer's key (root-ca profile; lifetime 0 =
  // 20 years). Linted and serial-stored like every other certificate.
  static StatusOr<IssuedCert> CreateRoot(crypto::Signer& signer, const SubjectName& name,
                                         std::chrono::seconds lifetime, const Clock& clock,
                                         Rng& rng, const StoreSerialFn& store_serial);

  // Roots only (FailedPrecondition otherwise): an issuing CA for `key`
  // (same algorithm as the root), pathLenConstraint 0.
  StatusOr<IssuedCert> IssueIssuingCa(const crypto::PublicKey& key, const SubjectName& name,
                                      std::chrono::seconds lifetime,
                                      const StoreSerialFn& store_serial) const;

  // Issuing CAs only. The ID card of a character for `key` (custodial issuance
  // passes the public half of a key the caller generated and keeps).
  StatusOr<IssuedCert> IssueIdCard(const crypto::PublicKey& key, const IdCardRequest& request,
                                   const StoreSerialFn& store_serial) const;
  // Same, from a PKCS#10 CSR (PEM or DER): the CSR's self-signature is the
  // proof of possession. InvalidArgument with field "csr" if the CSR does not
  // parse, its signature does not verify, or its key is not of this CA's
  // algorithm. The CSR's subject and extensions are ignored.
  StatusOr<IssuedCert> IssueIdCardFromCsr(std::string_view csr, const IdCardRequest& request,
                                          const StoreSerialFn& store_serial) const;
  StatusOr<IssuedCert> IssueMember(const crypto::PublicKey& key, const MemberRequest& request,
                                   const StoreSerialFn& store_serial) const;
  // The delegated OCSP responder certificate for this CA (lifetime 0 = 30 days).
  StatusOr<IssuedCert> IssueOcspSigning(const crypto::PublicKey& key, std::chrono::seconds lifetime,
                                        const StoreSerialFn& store_serial) const;
  StatusOr<IssuedCert> IssueC2paSigning(const crypto::PublicKey& key, const C2paRequest& request,
                                        const StoreSerialFn& store_serial) const;
  // An RFC 3161 time-stamping authority's certificate (profile "time-stamping":
  // EKU id-kp-timeStamping alone and critical; P-256; lifetime 0 = one year).
  StatusOr<IssuedCert> IssueTimeStamping(const crypto::PublicKey& key, const SubjectName& subject,
                                         std::chrono::seconds lifetime,
                                         const StoreSerialFn& store_serial) const;

  // The generic form: builds following `profile` (normally GetProfile(id);
  // tests pass altered copies), lints against GetProfile(profile.id).
  StatusOr<IssuedCert> Issue(const Profile& profile, const crypto::PublicKey& key,
                             const CertRequest& request, const StoreSerialFn& store_serial) const;

  // A CRL v2 over `request` (crl.h), DER. InvalidArgument for a bad serial or
  // removeFromCRL (delta CRLs only).
  StatusOr<std::string> SignCrl(const CrlRequest& request) const;

  crypto::KeyAlg alg() const;
  bool is_root() const;
  const std::string& certificate_der() const;
  std::string certificate_pem() const;
  const SubjectName& name() const;
  const CaUrls& urls() const;

  struct State;  // implementation detail

 private:
  explicit Ca(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

}  // namespace vt::x509
