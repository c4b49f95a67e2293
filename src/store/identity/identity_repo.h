// Repositories of the identity capability: the tables `characters`, `cas` and
// `certificates` (migration 5), plus the few facts about organizations and
// members that the CA needs (names for certificate subjects). The access
// capability owns `orgs` and `members`; these reads are deliberately local so
// that identity does not depend on the access repository.
//
// One read-only interface and one read-write interface, as Trillian separates
// its read-only and read-write log transactions (storage/log_storage.go). The
// SQL implementation (sql_identity_repo*.cc) serves both dialects; the memory
// implementation (memory_identity_repo.h) serves unit tests.
//
// Closed sets of stored strings (character status, certificate status and
// profile, CA kind) are enums here and are converted to and from their stored
// names only by the repositories (identity_types.h). The key algorithm stays
// its stored name ("p256" | "ed25519" | "sm2") in the rows: the store does not
// depend on crypto, so app/identity maps it to crypto::KeyAlg.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/identity/identity_types.h"
#include "store/sql.h"

namespace vt::store {

// A row of `characters`. `record` is the character's JSON document (names,
// likeness, timestamps, ...), as app/identity writes it.
struct CharacterRow {
  std::string id;  // canonical registry ID
  std::string org_id;
  CharacterStatus status = CharacterStatus::kActive;
  std::string record;
  std::string created_at, updated_at;  // RFC 3339
};

// A row of `cas`: one CA certificate with the reference of its key.
struct CaRow {
  std::string id;   // "<alg>-<kind>"
  std::string alg;  // stored name: p256 | ed25519 | sm2
  CaKind kind = CaKind::kRoot;
  std::string cert_der;
  std::string key_ref;
  std::string created_at;
};

// A row of `certificates`: one serial of an issuing CA.
struct CertRow {
  std::string serial;  // 32 lower-case hex digits
  std::string ca_id;
  CertProfile profile = CertProfile::kIdCard;
  std::string alg;  // stored name: p256 | ed25519 | sm2
  std::optional<std::string> character_id, member_id;
  std::string org_id;
  std::string cert_der;               // empty while the serial is only reserved
  std::string not_before, not_after;  // RFC 3339; empty while reserved
  CertStatus status = CertStatus::kGood;
  std::optional<std::string> revoked_at, revocation_reason, superseded_by;
  std::optional<std::string> key_ref;  // custodial keys only
  std::string created_at;
};

// The revocation-relevant columns of one serial (OCSP, pki status reads).
struct SerialStateRow {
  CertStatus status = CertStatus::kGood;
  std::optional<std::string> revoked_at, revocation_reason, not_after;
  bool reserved = false;  // the serial is stored but has no certificate yet
};

// One revoked serial, for a CRL.
struct RevokedRow {
  std::string serial;
  std::optional<std::string> revoked_at, revocation_reason;
};

// What a member certificate's subject needs about a member.
struct MemberFacts {
  std::string name, email;
  std::optional<std::string> removed_at;
  std::string org_name;
};

// Orders of ID-card lists: newest first, ties broken by serial.
enum class SerialTieBreak { kAscending, kDescending };
// Orders of revoked lists.
enum class RevokedOrder { kByRevocationTime, kBySerial };

// Read-only queries over the identity tables. Errors other than the documented
// NotFound are the driver's (store/sql.h).
class IdentityReader {
 public:
  virtual ~IdentityReader() = default;

  // --- characters ---
  // The character `id` (canonical form), or NotFound.
  virtual StatusOr<CharacterRow> GetCharacter(std::string_view id) = 0;
  // Only the status of character `id`, or NotFound.
  virtual StatusOr<CharacterStatus> GetCharacterStatus(std::string_view id) = 0;
  // Whether a character `id` exists.
  virtual StatusOr<bool> CharacterExists(std::string_view id) = 0;
  // Characters of `org_id` (nullopt: of every organization), oldest first
  // (created_at, then id), at most `limit`.
  virtual StatusOr<std::vector<CharacterRow>> ListCharacters(
      const std::optional<std::string>& org_id, int limit) = 0;

  // --- organizations and members (owned by access; read here) ---
  // Whether organization `org_id` exists.
  virtual StatusOr<bool> OrgExists(std::string_view org_id) = 0;
  // The display name of organization `org_id`, or NotFound.
  virtual StatusOr<std::string> OrgName(std::string_view org_id) = 0;
  // Member `member_id` of organization `org_id` (removed ones too), or NotFound.
  virtual StatusOr<MemberFacts> GetMemberOfOrg(std::string_view org_id,
                                               std::string_view member_id) = 0;

  // --- CAs ---
  // Whether any CA row exists (the CA is initialized).
  virtual StatusOr<bool> AnyCa() = 0;
  // The CA `ca_id` ("p256-issuing", ...), or NotFound.
  virtual StatusOr<CaRow> GetCa(std::string_view ca_id) = 0;
  // The CAs among `ca_ids` that exist (any order).
  virtual StatusOr<std::vector<CaRow>> FindCas(const std::vector<std::string>& ca_ids) = 0;
  // Every CA row, oldest first (created_at, then id): after `vtrust ca
  // rotate-issuing` an algorithm has several issuing CAs, the newest current.
  virtual StatusOr<std::vector<CaRow>> ListCas() = 0;

  // --- certificates ---
  // The row of `serial` (stored form), reserved ones included, or NotFound.
  virtual StatusOr<CertRow> GetCertificate(std::string_view serial) = 0;
  // The issued ID cards of `character_id` (reserved rows skipped), newest
  // first (created_at descending), ties by serial in `tie_break` order.
  virtual StatusOr<std::vector<CertRow>> ListIdCards(std::string_view character_id,
                                                     SerialTieBreak tie_break) = 0;
  // The state of `serial` under `ca_id`, reserved ones included (reserved =
  // true); nullopt if it was never stored there.
  virtual StatusOr<std::optional<SerialStateRow>> FindSerialState(std::string_view ca_id,
                                                                  std::string_view serial) = 0;
  // As FindSerialState, but a reserved serial counts as absent.
  virtual StatusOr<std::optional<SerialStateRow>> FindIssuedSerialState(
      std::string_view ca_id, std::string_view serial) = 0;
  // The revoked serials of `ca_id`, by revocation time then serial, or by serial.
  virtual StatusOr<std::vector<RevokedRow>> ListRevoked(std::string_view ca_id,
                                                        RevokedOrder order) = 0;
};

// Writes, inside the committer's transaction. Not thread-safe (one writer).
class IdentityWriter : public IdentityReader {
 public:
  // Inserts a new character. AlreadyExists if the ID is taken.
  virtual Status InsertCharacter(const CharacterRow& row) = 0;
  // Stores status, record and updated_at of character `row.id`.
  virtual Status UpdateCharacter(const CharacterRow& row) = 0;
  // Inserts one CA row.
  virtual Status InsertCa(const CaRow& row) = 0;
  // Reserves `row.serial` (status good, no certificate yet): the row is stored
  // before the real signature (Boulder's ca.go stores the serial first), so a
  // serial is never signed twice. Uses every column of `row` except cert_der,
  // not_before, not_after, status, revocation and superseded_by.
  virtual Status ReserveSerial(const CertRow& row) = 0;
  // Completes the reserved `serial` with its signed certificate and validity.
  virtual Status CompleteCertificate(std::string_view serial, const std::string& cert_der,
                                     const std::string& not_before,
                                     const std::string& not_after) = 0;
  // Records that `old_serial` was superseded by `new_serial` (renewal).
  virtual Status MarkSuperseded(std::string_view old_serial, std::string_view new_serial) = 0;
  // Marks `serial` revoked if it is good (no change otherwise).
  virtual Status MarkRevoked(std::string_view serial, const std::string& revoked_at,
                             const std::string& reason) = 0;
};

// The SQL implementation over an open connection (both dialects); `conn` must
// outlive it. Reads may run on any connection; writes belong in a transaction.
std::unique_ptr<IdentityWriter> NewSqlIdentityRepo(Conn& conn);

}  // namespace vt::store
