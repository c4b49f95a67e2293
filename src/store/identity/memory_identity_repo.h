// An in-memory IdentityWriter for unit tests (no database), in the spirit of
// leveldb's helpers/memenv. It implements what the identity use-case tests
// call: characters, organization names, and certificate rows (reserve,
// complete, supersede, revoke, list); the other methods return Unimplemented.
// Not thread-safe.
#pragma once

#include <map>
#include <string>

#include "store/identity/identity_repo.h"

namespace vt::store {

class MemoryIdentityRepo final : public IdentityWriter {
 public:
  // Test set-up: organization `id` named `name` exists.
  void AddOrg(const std::string& id, const std::string& name) { orgs_[id] = name; }
  // Test inspection.
  const std::map<std::string, CharacterRow>& characters() const { return characters_; }
  const std::map<std::string, CertRow>& certificates() const { return certs_; }

  StatusOr<CharacterRow> GetCharacter(std::string_view id) override;
  StatusOr<CharacterStatus> GetCharacterStatus(std::string_view id) override;
  StatusOr<bool> CharacterExists(std::string_view id) override;
  StatusOr<std::vector<CharacterRow>> ListCharacters(const std::optional<std::string>& org_id,
                                                     int limit) override;
  StatusOr<bool> OrgExists(std::string_view org_id) override;
  StatusOr<std::string> OrgName(std::string_view org_id) override;
  StatusOr<MemberFacts> GetMemberOfOrg(std::string_view org_id,
                                       std::string_view member_id) override;
  StatusOr<bool> AnyCa() override;
  StatusOr<CaRow> GetCa(std::string_view ca_id) override;
  StatusOr<std::vector<CaRow>> FindCas(const std::vector<std::string>& ca_ids) override;
  StatusOr<std::vector<CaRow>> ListCas() override;
  StatusOr<CertRow> GetCertificate(std::string_view serial) override;
  StatusOr<std::vector<CertRow>> ListIdCards(std::string_view character_id,
                                             SerialTieBreak tie_break) override;
  StatusOr<std::optional<SerialStateRow>> FindSerialState(std::string_view ca_id,
                                                          std::string_view serial) override;
  StatusOr<std::optional<SerialStateRow>> FindIssuedSerialState(std::string_view ca_id,
                                                                std::string_view serial) override;
  StatusOr<std::vector<RevokedRow>> ListRevoked(std::string_view ca_id,
                                                RevokedOrder order) override;

  Status InsertCharacter(const CharacterRow& row) override;
  Status UpdateCharacter(const CharacterRow& row) override;
  Status InsertCa(const CaRow& row) override;
  Status ReserveSerial(const CertRow& row) override;
  Status CompleteCertificate(std::string_view serial, const std::string& cert_der,
                             const std::string& not_before, const std::string& not_after) override;
  Status MarkSuperseded(std::string_view old_serial, std::string_view new_serial) override;
  Status MarkRevoked(std::string_view serial, const std::string& revoked_at,
                     const std::string& reason) override;

 private:
  std::map<std::string, std::string> orgs_;  // id -> name
  std::map<std::string, CharacterRow> characters_;
  std::map<std::string, CertRow> certs_;
};

}  // namespace vt::store
