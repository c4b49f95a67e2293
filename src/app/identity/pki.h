// The certification authority of the registry (docs/id-card-profile.md):
// CA set-up, ID-card and member-certificate issuance, renewal/rotation,
// revocation and the revocation state that the CRL and OCSP side reads.
//
// Storage (migration 5), behind the identity repository
// (store/identity/identity_repo.h): one CA row per CA certificate, id
// CaId(alg, kind), with the reference of its key (app/identity/ca_keys.h);
// one certificate row per serial issued by an issuing CA (CertProfile).
//
// Issuance (x509::Ca pipeline): the proof of possession of a CSR and custodial
// key generation (and sealing) happen on the caller's thread; the committer's
// writer thread runs only what must be atomic with the log entry: re-reading
// the character, the lint (throwaway signature), inserting the serial row
// (store_serial, before the real signature), the real signature and its check,
// and the `card.issued` entry, all in one transaction. A failure anywhere
// leaves nothing behind (the row and the entry roll back together); a
// certificate is returned only once its row and entry are durable.
//
// Authorization: a character's (or member's) owner organization's members
// (role member or admin) issue, renew and revoke; its auditors read; operator
// members read everything and operator admins may do everything; any other
// caller gets NotFound. Member certificates are issued by the member itself or
// an admin of its organization.
//
// Thread-safe. CA keys are opened once and cached (tokens: one session).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "base/rng.h"
#include "crypto/key.h"
#include "store/identity/identity_types.h"
#include "x509/ca.h"
#include "x509/crl.h"

namespace vt::app {

using store::CaKind;       // kRoot | kIssuing | kOcsp
using store::CertProfile;  // kIdCard | kMember | kOcsp | kC2pa
using store::CertStatus;   // kGood | kRevoked

inline constexpr crypto::KeyAlg kCaAlgs[] = {crypto::KeyAlg::kP256, crypto::KeyAlg::kEd25519,
                                             crypto::KeyAlg::kSm2};

// "<alg>-root", "<alg>-issuing", "<alg>-ocsp".
std::string CaId(crypto::KeyAlg alg, CaKind kind);

// The URLs written into certificates issued by the <alg> issuing CA, from
// config.public_url (no trailing slash): CRL <base>/pki/crl/<alg>.crl, OCSP
// <base>/pki/ocsp/<alg>, CA issuers <base>/pki/ca/<alg>-issuing.der.
x509::CaUrls CaUrlsFor(const Config& config, crypto::KeyAlg alg);
// The same for the issuing CA of revocation responder `responder`: "<alg>" for
// the CA made by `ca init` (CA rows "<alg>-issuing", "<alg>-ocsp"), "<alg>-<8
// hex>" for one made by RotateIssuing (rows "<alg>-<hex>-issuing", "-ocsp").
x509::CaUrls CaUrlsForResponder(const Config& config, const std::string& responder);
// The responder name of issuing CA row `ca_id` (its id without "-issuing").
std::string ResponderOf(const std::string& ca_id);

// One CA certificate (a CA row).
struct CaRecord {
  std::string id;  // CaId(alg, kind)
  crypto::KeyAlg alg = crypto::KeyAlg::kP256;
  CaKind kind = CaKind::kRoot;
  std::string cert_der;
  std::string key_ref;
  std::string created_at;
  Json ToJson() const;  // {id, alg, kind, key_ref, created_at, certificate: PEM}
};

// One certificate (a certificate row).
struct CertRecord {
  std::string serial;  // lower-case hex
  std::string ca_id;   // the issuing CA
  CertProfile profile = CertProfile::kIdCard;
  crypto::KeyAlg alg = crypto::KeyAlg::kP256;
  std::optional<std::string> character_id, member_id;
  std::string org_id;
  std::string cert_der;  // empty only while reserved (never seen outside a transaction)
  std::string not_before, not_after;  // RFC 3339
  CertStatus status = CertStatus::kGood;
  std::optional<std::string> revoked_at, revocation_reason, superseded_by;
  std::optional<std::string> key_ref;  // custodial keys only
  std::string created_at;
  // The status document of GET /v1/cards/{serial}: serial, status, reason,
  // revoked_at, not_before, not_after, character, member, org, alg, profile,
  // ca, superseded_by, custodial (bool). Never contains key material.
  Json ToJson() const;
};

struct CaInitOptions {
  // Non-empty: the root and issuing keys of p256 and ed25519 are generated
  // inside this PKCS#11 token (module Config::pkcs11_module, PIN from
  // VTRUST_PKCS11_PIN). SM2 keys and all OCSP keys are always sealed.
  std::string pkcs11_token;
};

struct IssueRequest {
  crypto::KeyAlg alg = crypto::KeyAlg::kP256;
  std::string csr;        // PEM or DER PKCS#10; empty = custodial key
  int lifetime_days = 0;  // 0 = the profile's default (1 year); at most 825
};

struct IssuedCertificate {
  CertRecord record;
  std::string certificate_pem;
  std::string chain_pem;  // the issuing CA only (not the root)
  // {"serial", "certificate", "chain", "status": record.ToJson()}; receipts are
  // added by the caller (api::WithReceipts).
  Json ToJson() const;
};

// Where a serial stands under one CA (for OCSP; unknown = never issued there).
struct SerialStatus {
  enum class State { kGood, kRevoked, kUnknown } state = State::kUnknown;
  TimePoint revoked_at{};
  x509::CrlReason reason = x509::CrlReason::kUnspecified;
  TimePoint not_after{};
};

// Parses "p256" | "ed25519" | "sm2"; InvalidArgument with field "alg".
StatusOr<crypto::KeyAlg> ParseCardAlg(const std::string& name);

class Pki {
 public:
  Pki(Service& svc, Rng& rng);

  // Creates root, issuing CA and delegated OCSP-signing certificate for each
  // of p256, ed25519 and sm2, and one `ca.initialized` log entry.
  // PermissionDenied unless `p` is an operator admin; FailedPrecondition if
  // the CA is initialized already (nothing is created then); Unavailable /
  // NotFound / PermissionDenied from the token.
  StatusOr<Written<std::vector<CaRecord>>> InitCa(const Principal& p, const CaInitOptions& options);
  // True once InitCa has committed.
  StatusOr<bool> Initialized();
  // Public: the root certificates, alg name -> PEM. FailedPrecondition if the
  // CA is not initialized.
  StatusOr<std::map<std::string, std::string>> RootsPem();
  // Public: one CA row ("p256-issuing", ...). NotFound if absent.
  StatusOr<CaRecord> GetCa(const std::string& ca_id);
  // The loaded issuing CA of `alg` (its key opened on first use and cached):
  // the newest issuing CA row of `alg`. FailedPrecondition if the CA is not
  // initialized.
  StatusOr<x509::Ca> IssuingCa(crypto::KeyAlg alg);

  // A key ceremony (docs/operations.md, "Offline roots"): a new issuing CA of
  // `alg` signed by the root, with `root` (the root's key, brought back from
  // its export file or token), its own sealed key and its own delegated OCSP
  // signer, under responder "<alg>-<8 hex>". Cards issued afterwards (by this
  // and every process that opens the data directory later) come from the new
  // CA; the old issuing CA keeps its rows, CRL and OCSP responder, so its
  // cards keep validating until they expire. One `ca.issuing_rotated` entry.
  // PermissionDenied unless `p` is an operator admin; InvalidArgument (field
  // "root_key") if `root` is not the key of the <alg> root certificate;
  // FailedPrecondition if the CA is not initialized.
  StatusOr<Written<std::vector<CaRecord>>> RotateIssuing(const Principal& p, crypto::KeyAlg alg,
                                                         std::shared_ptr<crypto::Signer> root);

  // Issues an ID card for character `character_id`. InvalidArgument (field
  // "csr") for a CSR that does not parse, whose signature does not verify or
  // whose key is not of `req.alg`; (field "lifetime_days") out of range.
  // NotFound: no such character visible to `p`. FailedPrecondition: the
  // character is retired, or the CA is not initialized. Nothing is written on
  // failure.
  StatusOr<Written<IssuedCertificate>> IssueCard(const Principal& p,
                                                 const std::string& character_id,
                                                 const IssueRequest& req);
  // Renewal / key rotation: a new ID card for the same character (the same or
  // another alg, a new CSR or a new custodial key); the old row gets
  // superseded_by = the new serial, in the same transaction. FailedPrecondition
  // if the old card is revoked or superseded already, or is not an ID card.
  // `alg` nullopt = the old card's algorithm.
  StatusOr<Written<IssuedCertificate>> RenewCard(const Principal& p, const std::string& serial,
                                                 std::optional<crypto::KeyAlg> alg,
                                                 const std::string& csr, int lifetime_days = 0);
  // A member certificate (profile "member": digitalSignature+nonRepudiation,
  // documentSigning+emailProtection) for member `member_id` of `org_id`,
  // subject CN = member name, O = organization name, the member's e-mail in
  // the SAN. Allowed for the member itself and admins of its organization
  // (and operator admins). Custodial keys are kept as for cards
  // (record.key_ref; sign with OpenKeyRef).
  StatusOr<Written<IssuedCertificate>> IssueMemberCertificate(const Principal& p,
                                                              const std::string& org_id,
                                                              const std::string& member_id,
                                                              const IssueRequest& req);

  // The organization's C2PA claim-signing certificate (profile "c2pa":
  // digitalSignature, c2pa-kp-claimSigning + emailProtection; docs/c2pa.md),
  // subject CN = "<org name> content credentials", O = org name, custodial
  // key (or `req.csr`). Members and admins of `org_id` (and operator admins).
  // InvalidArgument for SM2 (C2PA has no SM2 algorithm).
  StatusOr<Written<IssuedCertificate>> IssueClaimSigningCertificate(const Principal& p,
                                                                    const std::string& org_id,
                                                                    const IssueRequest& req);

  // The operator's RFC 3161 time-stamping authority certificate (profile
  // "time-stamping": digitalSignature, id-kp-timeStamping alone and critical;
  // docs/c2pa.md, "Timestamps"), issued by the P-256 issuing CA to a new sealed
  // P-256 key (OpenSSL's responder needs the key in software), subject
  // CN = "<operator org name> Time-Stamping Authority". Operator admins only.
  // One `certificate.issued` log entry (purpose "time-stamping").
  StatusOr<Written<IssuedCertificate>> IssueTsaCertificate(const Principal& p,
                                                           int lifetime_days = 0);

  // Revokes `serial` with an RFC 5280 reason name (x509::ParseCrlReason;
  // removeFromCRL is refused: InvalidArgument field "reason"). One
  // `card.revoked` (ID cards) or `certificate.revoked` (others) log entry.
  // FailedPrecondition if revoked already. NotFound as for reads.
  StatusOr<Written<CertRecord>> Revoke(const Principal& p, const std::string& serial,
                                       const std::string& reason);

  // One certificate row (any profile). NotFound if absent or not visible.
  StatusOr<CertRecord> GetCertificate(const Principal& p, const std::string& serial);
  // The ID cards of a character, newest first. NotFound as for the character.
  StatusOr<std::vector<CertRecord>> ListCards(const Principal& p, const std::string& character_id);
  // The current card (SPEC: newest id-card row, good, not superseded, not
  // expired). NotFound if there is none.
  StatusOr<CertRecord> CurrentCard(const Principal& p, const std::string& character_id);

  // --- Revocation data (no principal: this is public information) ---
  // The status of `serial_hex` (any case) among the certificates issued by
  // `ca_id` (e.g. "p256-issuing"). kUnknown if it was never issued there.
  StatusOr<SerialStatus> StatusUnder(const std::string& ca_id, const std::string& serial_hex);
  // Every revoked certificate of `ca_id`, oldest revocation first, for a CRL.
  StatusOr<std::vector<x509::RevokedCert>> RevokedUnder(const std::string& ca_id);
  // Called (on the revoking thread, after commit) with (ca_id, serial) of
  // every revocation made through this Pki, e.g. to drop cached OCSP
  // responses. Listeners must be cheap and must not call back into Revoke.
  void AddRevocationListener(std::function<void(const std::string&, const std::string&)> fn);

 private:
  struct Loaded;
  StatusOr<std::shared_ptr<const Loaded>> Load(crypto::KeyAlg alg);
  StatusOr<Written<IssuedCertificate>> IssueIdCardImpl(const Principal& p,
                                                       const std::string& character_id,
                                                       const IssueRequest& req,
                                                       const std::string& supersedes);

  Service& svc_;
  Rng& rng_;
  std::mutex mu_;
  std::map<crypto::KeyAlg, std::shared_ptr<const Loaded>> loaded_;  // guarded by mu_
  std::vector<std::function<void(const std::string&, const std::string&)>> listeners_;  // mu_
};

}  // namespace vt::app
