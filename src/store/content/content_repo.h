// Read-only queries content credentials need (docs/c2pa.md): the claim-signing
// certificate of an organization, the status of a certificate, and the public
// facts of a character and an organization. Content credentials keep no table
// of their own: the `content.signed` log entry is their record.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store {

// An organization's custodial claim-signing certificate (profile "c2pa").
struct ClaimSignerRow {
  std::string serial;
  std::string ca_id;  // "<alg>-issuing"
  std::string alg;    // p256 | ed25519
  std::string cert_der;
  std::string key_ref;
};

// Where one certificate stands.
struct CertStatusRow {
  std::string serial;
  std::string ca_id;
  std::string profile;                    // id-card | member | c2pa | ...
  std::string status;                     // good | revoked
  std::optional<std::string> revoked_at;  // RFC 3339
  std::optional<std::string> revocation_reason;
  std::optional<std::string> superseded_by;
  std::string not_after;
};

// The public facts of a character.
struct CharacterFactsRow {
  std::string id;
  std::string org_id;
  std::string status;  // active | retired
  std::string record;  // the stored JSON record
};

class ContentReader {
 public:
  virtual ~ContentReader() = default;
  // The newest good, unexpired (not_after > `now_rfc3339`) claim-signing
  // certificate of `org_id` whose key is custodial; nullopt if none.
  virtual StatusOr<std::optional<ClaimSignerRow>> FindClaimSigner(std::string_view org_id,
                                                                  std::string_view now_rfc3339) = 0;
  // The newest good, unexpired time-stamping authority certificate (profile
  // "tsa") whose key is custodial; nullopt if none.
  virtual StatusOr<std::optional<ClaimSignerRow>> FindTsaSigner(std::string_view now_rfc3339) = 0;
  // The certificate `serial` (lower-case hex); NotFound if absent.
  virtual StatusOr<CertStatusRow> GetCertStatus(std::string_view serial) = 0;
  // The character `id` (canonical registry ID); NotFound if absent.
  virtual StatusOr<CharacterFactsRow> GetCharacterFacts(std::string_view id) = 0;
  // The name of organization `id`; NotFound if absent.
  virtual StatusOr<std::string> GetOrgName(std::string_view id) = 0;
};

// The SQL implementation over an open connection (both dialects); `conn` must
// outlive it.
std::unique_ptr<ContentReader> NewSqlContentRepo(Conn& conn);

}  // namespace vt::store
