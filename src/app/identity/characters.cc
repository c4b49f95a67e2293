// Character registry: the adapters that run the character use cases
// (character_use_cases.h) on the SQL identity repository.
#include "app/identity/characters.h"

#include "app/identity/character_use_cases.h"
#include "store/identity/identity_repo.h"

namespace vt::app {
namespace {

LogSink SinkOf(WriteContext& ctx) {
  return [&ctx](std::string e) { ctx.AppendLog(std::move(e)); };
}

}  // namespace

StatusOr<Written<Character>> CharacterRegistry::Register(const Principal& p, CharacterInput in,
                                                         const std::string& owner_org) {
  VT_ASSIGN_OR_RETURN(std::string owner, CheckCharacterRegistration(p, in, owner_org));
  Character ch;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlIdentityRepo(ctx.conn());
    VT_ASSIGN_OR_RETURN(ch, RegisterCharacter(*repo, p, in, owner, ctx.clock(), rng_, SinkOf(ctx)));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Character>{ch, res->receipts};
}

StatusOr<Character> CharacterRegistry::Get(const Principal& p, const std::string& id) {
  return svc_.Read<Character>([&](store::Conn& c) {
    auto repo = store::NewSqlIdentityRepo(c);
    return LoadVisibleCharacter(*repo, p, id);
  });
}

StatusOr<std::vector<Character>> CharacterRegistry::List(const Principal& p, int limit) {
  if (limit < 1 || limit > 1000)
    return InvalidArgumentError("limit must be 1-1000").WithField("limit");
  return svc_.Read<std::vector<Character>>([&](store::Conn& c) {
    auto repo = store::NewSqlIdentityRepo(c);
    return ListVisibleCharacters(*repo, p, limit);
  });
}

StatusOr<Written<Character>> CharacterRegistry::Update(const Principal& p, const std::string& id,
                                                       const Json& patch) {
  Character ch;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlIdentityRepo(ctx.conn());
    VT_ASSIGN_OR_RETURN(ch, UpdateCharacter(*repo, p, id, patch, ctx.clock(), SinkOf(ctx)));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Character>{ch, res->receipts};
}

StatusOr<Written<Character>> CharacterRegistry::Retire(const Principal& p, const std::string& id,
                                                       const std::string& reason) {
  if (reason.size() > 500)
    return InvalidArgumentError("reason must be at most 500 characters").WithField("reason");
  Character ch;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlIdentityRepo(ctx.conn());
    VT_ASSIGN_OR_RETURN(ch, RetireCharacter(*repo, p, id, reason, ctx.clock(), SinkOf(ctx)));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Character>{ch, res->receipts};
}

}  // namespace vt::app
