// The character use cases (docs/characters.md in spirit: registration, reads,
// updates, retirement) written against the identity repository, so that they
// run on SQL (through CharacterRegistry, inside the committer's transaction)
// and on the memory fake in unit tests. Authorization rules as in characters.h.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/identity/characters.h"
#include "base/clock.h"
#include "base/rng.h"
#include "store/identity/identity_repo.h"

namespace vt::app {

// Receives the transparency-log entries a use case produces, in order
// (WriteContext::AppendLog in production, a vector in tests).
using LogSink = std::function<void(std::string entry)>;

// The checks of a registration that need no storage: the role, who may name
// another owner, and the input (normalized in place). Returns the owner
// organization (`owner_org`, or the caller's when empty). PermissionDenied or
// InvalidArgument (field) as CharacterRegistry::Register.
StatusOr<std::string> CheckCharacterRegistration(const Principal& p, CharacterInput& in,
                                                 const std::string& owner_org);

// Registers `in` (checked by CheckCharacterRegistration) for `owner`: draws a
// free registry ID from `rng`, inserts the row and logs `character.registered`.
// InvalidArgument (field owner_org) if `owner` is not an organization.
StatusOr<Character> RegisterCharacter(store::IdentityWriter& repo, const Principal& p,
                                      CharacterInput in, const std::string& owner,
                                      const Clock& clock, Rng& rng, const LogSink& log);

// The character `typed` (any typed form of the ID) if `p` may read it;
// NotFound otherwise, with the same message either way.
StatusOr<Character> LoadVisibleCharacter(store::IdentityReader& repo, const Principal& p,
                                         const std::string& typed);

// The characters `p` may read (its organization; operator: all), oldest first,
// at most `limit` (checked by the caller).
StatusOr<std::vector<Character>> ListVisibleCharacters(store::IdentityReader& repo,
                                                       const Principal& p, int limit);

// Applies `patch` to an active character and logs `character.updated`.
// NotFound / PermissionDenied / FailedPrecondition (retired) / InvalidArgument.
StatusOr<Character> UpdateCharacter(store::IdentityWriter& repo, const Principal& p,
                                    const std::string& id, const Json& patch, const Clock& clock,
                                    const LogSink& log);

// Retires an active character and logs `character.retired` (with `reason` if
// non-empty). FailedPrecondition if it is retired already.
StatusOr<Character> RetireCharacter(store::IdentityWriter& repo, const Principal& p,
                                    const std::string& id, const std::string& reason,
                                    const Clock& clock, const LogSink& log);

// The stored form of a character's record and its parse (the row's JSON
// document holds every field but id, owner and status). InternalError if the
// stored record is corrupt.
StatusOr<Character> CharacterFromRow(const store::CharacterRow& row);

}  // namespace vt::app
