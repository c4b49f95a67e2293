// Internal to the CA (pki*.cc): shared pieces and the row mappings between the
// identity repository's rows and the CA's records.
#pragma once

#include <string>

#include "app/identity/pki.h"
#include "store/identity/identity_repo.h"

namespace vt::app {

// A loaded issuing CA (Pki::Load).
struct Pki::Loaded {
  x509::Ca issuing;
  std::string issuing_pem;
  std::string key_ref;  // of the issuing CA's key
  std::string ca_id;    // its CA row ("p256-issuing", "p256-1a2b3c4d-issuing")
};

}  // namespace vt::app

namespace vt::app::pki_internal {

// Row <-> record. InternalError if a stored algorithm name is unknown.
StatusOr<CertRecord> CertFromRow(const store::CertRow& r);
store::CertRow CertToRow(const CertRecord& r);
StatusOr<CaRecord> CaFromRow(const store::CaRow& r);
store::CaRow CaToRow(const CaRecord& r);

// The stored form of a serial: lower-case hex, left-padded with zeros to 32
// digits (leading zeros beyond that dropped). InvalidArgument (field "serial")
// unless 1..40 hex digits.
StatusOr<std::string> NormalizeSerial(const std::string& serial);

// The row, if `p` may read it (its org_id readable) and it is issued (not
// only reserved); NotFound otherwise.
StatusOr<CertRecord> LoadVisibleCert(store::IdentityReader& repo, const Principal& p,
                                     const std::string& serial);

// Write access to the objects of organization `org`: its members and admins,
// operator admins. Operator members/auditors and the org's auditors get
// PermissionDenied; anybody else NotFound with `not_found`.
Status CheckOrgWriter(const Principal& p, const std::string& org, const Status& not_found);

// Authority over the member certificates of member `member_id` of `org`
// (docs/api.md "Role matrix"): issuing one and revoking one need the same
// role, an admin of `org` (or an operator admin), or the holder itself with a
// writing role. Members of another organization get `not_found`; anybody else
// of `org` (other members, auditors) and operator members/auditors get
// PermissionDenied.
Status CheckMemberCertAuthority(const Principal& p, const std::string& org,
                                const std::string& member_id, const Status& not_found);

}  // namespace vt::app::pki_internal
