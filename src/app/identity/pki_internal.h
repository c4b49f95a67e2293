// Internal to the service module: shared pieces of pki*.cc.
#pragma once

#include <string>

#include "app/identity/pki.h"
#include "store/sql.h"

namespace vt::app {

// A loaded issuing CA (Pki::Load).
struct Pki::Loaded {
  x509::Ca issuing;
  std::string issuing_pem;
  std::string key_ref;  // of the issuing CA's key
};

}  // namespace vt::app

namespace vt::app::pki_internal {

// Columns read into a CertRecord, in CertFromRow order.
inline constexpr const char* kCertCols =
    "serial, ca_id, profile, alg, character_id, member_id, org_id, cert_der, not_before, "
    "not_after, status, revoked_at, revocation_reason, superseded_by, key_ref, created_at";

CertRecord CertFromRow(const store::Row& r);
CaRecord CaFromRow(const store::Row& r);  // id, alg, kind, cert_der, key_ref, created_at

// The stored form of a serial: lower-case hex, left-padded with zeros to 32
// digits (leading zeros beyond that dropped). InvalidArgument (field "serial")
// unless 1..40 hex digits.
StatusOr<std::string> NormalizeSerial(const std::string& serial);

// The row, if `p` may read it (its org_id readable); NotFound otherwise.
StatusOr<CertRecord> LoadVisibleCert(store::Conn& c, const Principal& p, const std::string& serial);

// Write access to the objects of organization `org`: its members and admins,
// operator admins. Operator members/auditors and the org's auditors get
// PermissionDenied; anybody else NotFound with `not_found`.
Status CheckOrgWriter(const Principal& p, const std::string& org, const Status& not_found);

}  // namespace vt::app::pki_internal
