// Character use cases over the identity repository (character_use_cases.h).
#include "app/identity/character_use_cases.h"

#include "app/core/domain_names.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace {

Status CheckWriter(const Principal& p, const char* what) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) + "' may not " + what +
                                 " characters");
  return OkStatus();
}

// character.* v2 (docs/log-entries.md): the character is public by nature, its
// creators are people (their names are committed), and so is a retirement's
// free-text reason.
Status LogCharacter(const Clock& clock, const LogSink& log, const Principal& p,
                    const std::string& type, const Character& ch, Json payload) {
  payload["creators"] = Confidential(payload["creators"], ch.owner_org);
  if (payload.contains("reason")) payload["reason"] = Confidential(payload["reason"], ch.owner_org);
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry(type, 2, clock, {p.org_id, p.member_id},
                                {{"org", ch.owner_org}, {"character", ch.id}}, payload));
  log(std::move(e));
  return OkStatus();
}

store::CharacterRow ToRow(const Character& ch) {
  return {ch.id, ch.owner_org, ch.status, ch.ToJson().dump(), ch.created_at, ch.updated_at};
}

}  // namespace

StatusOr<Character> CharacterFromRow(const store::CharacterRow& row) {
  auto j = Json::parse(row.record, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return InternalError("stored record of character " + row.id + " is corrupt");
  Json fields = Json::object();
  for (const char* k : {"name", "names", "description", "creators", "likeness", "ai_driven"})
    if (j.contains(k)) fields[k] = j[k];
  if (j.value("digital_human_code", Json()).is_string())
    fields["digital_human_code"] = j["digital_human_code"];
  auto in = CharacterInputFromJson(fields);
  if (!in.ok()) return InternalError("stored record of character " + row.id + " is corrupt");
  Character c{row.id,
              x509::CharacterUrn(row.id),
              row.org_id,
              std::move(*in),
              row.status,
              j.value("created_at", ""),
              j.value("updated_at", ""),
              std::nullopt,
              j.value("created_by", "")};
  if (j.value("retired_at", Json()).is_string()) c.retired_at = j["retired_at"].get<std::string>();
  return c;
}

StatusOr<std::string> CheckCharacterRegistration(const Principal& p, CharacterInput& in,
                                                 const std::string& owner_org) {
  VT_RETURN_IF_ERROR(CheckWriter(p, "register"));
  std::string owner = owner_org.empty() ? p.org_id : owner_org;
  if (owner != p.org_id && !(p.is_operator && p.IsAdmin()))
    return PermissionDeniedError(
               "only operator admins may register a character for another "
               "organization")
        .WithField("owner_org");
  VT_RETURN_IF_ERROR(ValidateCharacterInput(in));
  return owner;
}

StatusOr<Character> RegisterCharacter(store::IdentityWriter& repo, const Principal& p,
                                      CharacterInput in, const std::string& owner,
                                      const Clock& clock, Rng& rng, const LogSink& log) {
  Character ch{"", "", owner,        std::move(in), CharacterStatus::kActive,
               "", "", std::nullopt, p.member_id};
  VT_ASSIGN_OR_RETURN(bool org_exists, repo.OrgExists(owner));
  if (!org_exists)
    return InvalidArgumentError("owner_org " + owner + " is not a registered organization")
        .WithField("owner_org");
  // 10^15 IDs: a collision is rare; check first (a failed insert would abort a
  // PostgreSQL transaction).
  for (int attempt = 0;; ++attempt) {
    ch.id = x509::GenerateRegistryId(rng);
    VT_ASSIGN_OR_RETURN(bool taken, repo.CharacterExists(ch.id));
    if (!taken) break;
    if (attempt == 10) return InternalError("could not draw a free registry ID");
  }
  ch.urn = x509::CharacterUrn(ch.id);
  ch.created_at = ch.updated_at = FormatRfc3339(clock.Now());
  VT_RETURN_IF_ERROR(repo.InsertCharacter(ToRow(ch)));
  VT_RETURN_IF_ERROR(LogCharacter(clock, log, p, "character.registered", ch, ch.ToJson()));
  return ch;
}

StatusOr<Character> LoadVisibleCharacter(store::IdentityReader& repo, const Principal& p,
                                         const std::string& typed) {
  auto id = x509::NormalizeRegistryId(typed);
  std::string shown = id.ok() ? *id : typed;
  auto not_found = [&] { return NotFoundError("character " + shown + " not found"); };
  if (!id.ok()) return not_found();
  auto row = repo.GetCharacter(*id);
  if (!row.ok() && row.status().code() == StatusCode::kNotFound) return not_found();
  VT_RETURN_IF_ERROR(row.status());
  VT_ASSIGN_OR_RETURN(Character ch, CharacterFromRow(*row));
  if (!p.CanRead(ch.owner_org)) return not_found();
  return ch;
}

StatusOr<std::vector<Character>> ListVisibleCharacters(store::IdentityReader& repo,
                                                       const Principal& p, int limit) {
  std::optional<std::string> org;
  if (!p.is_operator) org = p.org_id;
  VT_ASSIGN_OR_RETURN(auto rows, repo.ListCharacters(org, limit));
  std::vector<Character> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(Character ch, CharacterFromRow(r));
    out.push_back(std::move(ch));
  }
  return out;
}

StatusOr<Character> UpdateCharacter(store::IdentityWriter& repo, const Principal& p,
                                    const std::string& id, const Json& patch, const Clock& clock,
                                    const LogSink& log) {
  VT_ASSIGN_OR_RETURN(Character ch, LoadVisibleCharacter(repo, p, id));
  VT_RETURN_IF_ERROR(CheckWriter(p, "update"));
  if (ch.status != CharacterStatus::kActive)
    return FailedPreconditionError("character " + ch.id + " is retired");
  VT_RETURN_IF_ERROR(ApplyCharacterPatch(patch, ch.data));
  VT_RETURN_IF_ERROR(ValidateCharacterInput(ch.data));
  ch.updated_at = FormatRfc3339(clock.Now());
  VT_RETURN_IF_ERROR(repo.UpdateCharacter(ToRow(ch)));
  VT_RETURN_IF_ERROR(LogCharacter(clock, log, p, "character.updated", ch, ch.ToJson()));
  return ch;
}

StatusOr<Character> RetireCharacter(store::IdentityWriter& repo, const Principal& p,
                                    const std::string& id, const std::string& reason,
                                    const Clock& clock, const LogSink& log) {
  VT_ASSIGN_OR_RETURN(Character ch, LoadVisibleCharacter(repo, p, id));
  VT_RETURN_IF_ERROR(CheckWriter(p, "retire"));
  if (ch.status != CharacterStatus::kActive)
    return FailedPreconditionError("character " + ch.id + " is retired already");
  ch.status = CharacterStatus::kRetired;
  ch.updated_at = FormatRfc3339(clock.Now());
  ch.retired_at = ch.updated_at;
  VT_RETURN_IF_ERROR(repo.UpdateCharacter(ToRow(ch)));
  Json payload = ch.ToJson();
  if (!reason.empty()) payload["reason"] = reason;
  VT_RETURN_IF_ERROR(LogCharacter(clock, log, p, "character.retired", ch, payload));
  return ch;
}

}  // namespace vt::app
