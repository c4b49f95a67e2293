// Character registry: registration, reading, updates and retirement.
#include "app/identity/characters.h"

#include "app/core/domain_names.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace {

constexpr const char* kCols = "id, org_id, status, record";

StatusOr<Character> FromRow(const store::Row& r) {
  auto j = Json::parse(r.Text(3), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return InternalError("stored record of character " + r.Text(0) + " is corrupt");
  Json fields = Json::object();
  for (const char* k : {"name", "names", "description", "creators", "likeness", "ai_driven"})
    if (j.contains(k)) fields[k] = j[k];
  if (j.value("digital_human_code", Json()).is_string())
    fields["digital_human_code"] = j["digital_human_code"];
  auto in = CharacterInputFromJson(fields);
  if (!in.ok()) return InternalError("stored record of character " + r.Text(0) + " is corrupt");
  Character c{r.Text(0),
              x509::CharacterUrn(r.Text(0)),
              r.Text(1),
              std::move(*in),
              r.Text(2),
              j.value("created_at", ""),
              j.value("updated_at", ""),
              std::nullopt,
              j.value("created_by", "")};
  if (j.value("retired_at", Json()).is_string()) c.retired_at = j["retired_at"].get<std::string>();
  return c;
}

// The character, if it exists and `p` may read it; NotFound otherwise (the same
// message either way, so other organizations learn nothing).
StatusOr<Character> LoadVisible(store::Conn& c, const Principal& p, const std::string& typed) {
  auto id = x509::NormalizeRegistryId(typed);
  std::string shown = id.ok() ? *id : typed;
  auto not_found = [&] { return NotFoundError("character " + shown + " not found"); };
  if (!id.ok()) return not_found();
  auto row = c.QueryOne(std::string("SELECT ") + kCols + " FROM characters WHERE id = ?", {*id});
  if (!row.ok() && row.status().code() == StatusCode::kNotFound) return not_found();
  VT_RETURN_IF_ERROR(row.status());
  VT_ASSIGN_OR_RETURN(Character ch, FromRow(*row));
  if (!p.CanRead(ch.owner_org)) return not_found();
  return ch;
}

Status CheckWriter(const Principal& p, const char* what) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) + "' may not " + what +
                                 " characters");
  return OkStatus();
}

Status LogEntry(WriteContext& ctx, const Principal& p, const std::string& type,
                const Character& ch) {
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry(type, 1, ctx.clock(), {p.org_id, p.member_id},
                                {{"org", ch.owner_org}, {"character", ch.id}}, ch.ToJson()));
  ctx.AppendLog(std::move(e));
  return OkStatus();
}

Status Store(store::Conn& c, const Character& ch) {
  return c
      .Exec("UPDATE characters SET status = ?, record = ?, updated_at = ? WHERE id = ?",
            {ch.status, ch.ToJson().dump(), ch.updated_at, ch.id})
      .status();
}

}  // namespace

StatusOr<Written<Character>> CharacterRegistry::Register(const Principal& p, CharacterInput in,
                                                         const std::string& owner_org) {
  VT_RETURN_IF_ERROR(CheckWriter(p, "register"));
  std::string owner = owner_org.empty() ? p.org_id : owner_org;
  if (owner != p.org_id && !(p.is_operator && p.IsAdmin()))
    return PermissionDeniedError(
               "only operator admins may register a character for another "
               "organization")
        .WithField("owner_org");
  VT_RETURN_IF_ERROR(ValidateCharacterInput(in));
  Character ch{"", "", owner, std::move(in), "active", "", "", std::nullopt, p.member_id};
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    store::Conn& c = ctx.conn();
    VT_ASSIGN_OR_RETURN(auto org, c.Query("SELECT id FROM orgs WHERE id = ?", {owner}));
    if (org.empty())
      return InvalidArgumentError("owner_org " + owner + " is not a registered organization")
          .WithField("owner_org");
    // 10^15 IDs: a collision is rare; check first (a failed INSERT would abort a
    // PostgreSQL transaction).
    for (int attempt = 0;; ++attempt) {
      ch.id = x509::GenerateRegistryId(rng_);
      VT_ASSIGN_OR_RETURN(auto dup, c.Query("SELECT id FROM characters WHERE id = ?", {ch.id}));
      if (dup.empty()) break;
      if (attempt == 10) return InternalError("could not draw a free registry ID");
    }
    ch.urn = x509::CharacterUrn(ch.id);
    ch.created_at = ch.updated_at = FormatRfc3339(ctx.clock().Now());
    VT_RETURN_IF_ERROR(
        c.Exec("INSERT INTO characters(id,org_id,status,record,created_at,"
               "updated_at) VALUES(?,?,?,?,?,?)",
               {ch.id, ch.owner_org, ch.status, ch.ToJson().dump(), ch.created_at, ch.updated_at})
            .status());
    return LogEntry(ctx, p, "character.registered", ch);
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Character>{ch, res->receipts};
}

StatusOr<Character> CharacterRegistry::Get(const Principal& p, const std::string& id) {
  return svc_.Read<Character>([&](store::Conn& c) { return LoadVisible(c, p, id); });
}

StatusOr<std::vector<Character>> CharacterRegistry::List(const Principal& p, int limit) {
  if (limit < 1 || limit > 1000)
    return InvalidArgumentError("limit must be 1-1000").WithField("limit");
  return svc_.Read<std::vector<Character>>([&](store::Conn& c) -> StatusOr<std::vector<Character>> {
    std::string sql = std::string("SELECT ") + kCols + " FROM characters";
    std::vector<store::Value> params;
    if (!p.is_operator) {
      sql += " WHERE org_id = ?";
      params.push_back(p.org_id);
    }
    params.push_back(int64_t{limit});
    VT_ASSIGN_OR_RETURN(auto rows, c.Query(sql + " ORDER BY created_at, id LIMIT ?", params));
    std::vector<Character> out;
    for (const auto& r : rows) {
      VT_ASSIGN_OR_RETURN(Character ch, FromRow(r));
      out.push_back(std::move(ch));
    }
    return out;
  });
}

StatusOr<Written<Character>> CharacterRegistry::Update(const Principal& p, const std::string& id,
                                                       const Json& patch) {
  Character ch;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    VT_ASSIGN_OR_RETURN(ch, LoadVisible(ctx.conn(), p, id));
    VT_RETURN_IF_ERROR(CheckWriter(p, "update"));
    if (ch.status != "active") return FailedPreconditionError("character " + ch.id + " is retired");
    VT_RETURN_IF_ERROR(ApplyCharacterPatch(patch, ch.data));
    VT_RETURN_IF_ERROR(ValidateCharacterInput(ch.data));
    ch.updated_at = FormatRfc3339(ctx.clock().Now());
    VT_RETURN_IF_ERROR(Store(ctx.conn(), ch));
    return LogEntry(ctx, p, "character.updated", ch);
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
    VT_ASSIGN_OR_RETURN(ch, LoadVisible(ctx.conn(), p, id));
    VT_RETURN_IF_ERROR(CheckWriter(p, "retire"));
    if (ch.status != "active")
      return FailedPreconditionError("character " + ch.id + " is retired already");
    ch.status = "retired";
    ch.updated_at = FormatRfc3339(ctx.clock().Now());
    ch.retired_at = ch.updated_at;
    VT_RETURN_IF_ERROR(Store(ctx.conn(), ch));
    Json payload = ch.ToJson();
    if (!reason.empty()) payload["reason"] = reason;
    VT_ASSIGN_OR_RETURN(std::string e,
                        MakeEntry("character.retired", 1, ctx.clock(), {p.org_id, p.member_id},
                                  {{"org", ch.owner_org}, {"character", ch.id}}, payload));
    ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Character>{ch, res->receipts};
}

}  // namespace vt::app
