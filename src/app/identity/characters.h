// The character registry (docs/id-card-profile.md): virtual characters with a
// registry ID people can read aloud ("VC-dddd-dddd-dddd-dddC", ISO 7064 MOD 11-2
// check character, see x509/registry_id.h) and the URN urn:vtrust:char:<id>;
// names in several languages, a description, the owner organization, creators,
// likeness fingerprints (SHA-256 and SM3 of reference faces, 3D models and voice
// models), an AI-driven flag and an optional national digital-human code.
//
// Every change is one transparency-log entry (character.registered,
// character.updated, character.retired) committed together with it; the receipt
// comes back in Written<Character>::receipts.
//
// Authorization (as for organizations): a character belongs to its owner
// organization. Other organizations get NotFound (they learn nothing); auditors
// get PermissionDenied on writes; operator members read everything; only operator
// admins may register a character for another organization.
//
// Thread-safe: a CharacterRegistry holds no mutable state of its own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "base/rng.h"
#include "store/identity/identity_types.h"

namespace vt::app {

using store::CharacterStatus;  // kActive | kRetired

// Likeness reference kinds.
inline constexpr const char* kLikenessKinds[] = {"face", "model3d", "voice"};

struct Fingerprint {
  std::string kind;    // one of kLikenessKinds
  std::string sha256;  // 64 hex digits (canonical: lower case)
  std::string sm3;     // 64 hex digits (canonical: lower case)
  Json ToJson() const;
};

// The fields a registration sets and an update may change.
struct CharacterInput {
  std::string name;                          // the primary name, required
  std::map<std::string, std::string> names;  // BCP 47 tag -> name, optional
  std::string description;                   // may be empty
  std::vector<std::string> creators;         // free-form names or member ids
  std::vector<Fingerprint> likeness;
  bool ai_driven = false;
  std::string digital_human_code;  // optional national digital-human identity code
};

struct Character {
  std::string id;   // canonical registry ID
  std::string urn;  // urn:vtrust:char:<id>
  std::string owner_org;
  CharacterInput data;
  CharacterStatus status = CharacterStatus::kActive;
  std::string created_at, updated_at;
  std::optional<std::string> retired_at;
  std::string created_by;  // member id
  Json ToJson() const;
};

// Parses a registration body ({name, names, description, creators, likeness:
// [{kind, sha256, sm3}], ai_driven, digital_human_code}). InvalidArgument naming
// the field on a shape error; values are checked by Register/Update.
StatusOr<CharacterInput> CharacterInputFromJson(const Json& j);

// Applies a partial update (the same keys, each optional) to `in`.
// InvalidArgument naming the field on a shape error or an unknown key.
Status ApplyCharacterPatch(const Json& patch, CharacterInput& in);

// Validates and normalizes `in` (hex to lower case). InvalidArgument with the
// offending field ("name", "names.en", "likeness[1].sha256", ...).
Status ValidateCharacterInput(CharacterInput& in);

class CharacterRegistry {
 public:
  // `svc` and `rng` must outlive the registry.
  CharacterRegistry(Service& svc, Rng& rng) : svc_(svc), rng_(rng) {}

  // Registers a character owned by `owner_org` (empty: the caller's organization).
  // PermissionDenied for auditors, or when a non-operator-admin names another
  // owner; InvalidArgument (field) on bad input or an unknown owner_org. Nothing
  // is written on failure.
  StatusOr<Written<Character>> Register(const Principal& p, CharacterInput in,
                                        const std::string& owner_org = "");
  // One character (the ID is accepted in any typed form). NotFound if it does not
  // exist or the caller may not read it.
  StatusOr<Character> Get(const Principal& p, const std::string& id);
  // Characters of the caller's organization (operator: all), oldest first, at
  // most `limit` (1..1000).
  StatusOr<std::vector<Character>> List(const Principal& p, int limit = 100);
  // Applies `patch` (see ApplyCharacterPatch). FailedPrecondition if retired.
  StatusOr<Written<Character>> Update(const Principal& p, const std::string& id, const Json& patch);
  // Marks the character retired. FailedPrecondition if it is retired already.
  StatusOr<Written<Character>> Retire(const Principal& p, const std::string& id,
                                      const std::string& reason = "");

 private:
  Service& svc_;
  Rng& rng_;
};

}  // namespace vt::app
