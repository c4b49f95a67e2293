// Works registry: registration, reading and the JSON forms.
#include "app/rights/works.h"

#include <algorithm>
#include <set>

#include "app/core/domain_names.h"
#include "app/rights/parties.h"
#include "app/rights/works_internal.h"
#include "domain/names.h"

namespace vt::app {
namespace {

template <typename List>
bool Contains(const List& list, const std::string& s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

Status ValidateTitles(const std::map<std::string, std::string>& titles) {
  if (titles.empty() || titles.size() > 50)
    return InvalidArgumentError("titles must hold 1-50 titles keyed by language tag")
        .WithField("titles");
  for (const auto& [lang, title] : titles) {
    if (lang.empty() || lang.size() > 35 ||
        lang.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") !=
            std::string::npos)
      return InvalidArgumentError("'" + lang + "' is not a language tag (BCP 47)")
          .WithField("titles");
    if (std::string why = NameProblem(title, 500); !why.empty())
      return InvalidArgumentError("titles." + lang + " " + why).WithField("titles." + lang);
  }
  return OkStatus();
}

Status NormalizeIdentifiers(std::map<std::string, std::string>& ids) {
  for (auto& [scheme, value] : ids) {
    std::string field = "identifiers." + scheme;
    StatusOr<std::string> v = InvalidArgumentError("");
    if (scheme == "isrc")
      v = NormalizeIsrc(value, field);
    else if (scheme == "iswc")
      v = NormalizeIswc(value, field);
    else if (scheme == "isni")
      v = NormalizeIsni(value, field);
    else if (scheme == "dci" || scheme == "digital_human_code")
      v = NormalizeOpaqueId(value, field);
    else
      return InvalidArgumentError("unknown identifier scheme '" + scheme +
                                  "' (isrc, iswc, isni, dci, digital_human_code)")
          .WithField(field);
    VT_RETURN_IF_ERROR(v.status());
    value = *v;
  }
  return OkStatus();
}

// Shares: positive, per right type summing to exactly 10000 bp, one per party,
// parties existing organizations or members.
Status ValidateRights(store::RightsReader& repo,
                      const std::map<std::string, std::vector<RightShare>>& rights) {
  if (rights.empty())
    return InvalidArgumentError("rights must name the holders of at least one right type")
        .WithField("rights");
  for (const auto& [type, holders] : rights) {
    std::string field = "rights." + type;
    if (!Contains(kRightTypes, type))
      return InvalidArgumentError("unknown right type '" + type +
                                  "' (copyright, likeness, performance, neighbouring)")
          .WithField(field);
    if (holders.empty() || holders.size() > 100)
      return InvalidArgumentError(field + " must list 1-100 holders").WithField(field);
    int64_t sum = 0;
    std::set<std::string> seen;
    for (size_t i = 0; i < holders.size(); ++i) {
      std::string f = field + "[" + std::to_string(i) + "]";
      const RightShare& h = holders[i];
      if (h.share_bp <= 0 || h.share_bp > kWholeBp)
        return InvalidArgumentError(f + ".share_bp must be 1-10000 basis points, not " +
                                    std::to_string(h.share_bp))
            .WithField(f + ".share_bp");
      if (!seen.insert(h.party).second)
        return InvalidArgumentError(f + ".party " + h.party + " is listed twice")
            .WithField(f + ".party");
      sum += h.share_bp;
    }
    if (sum != kWholeBp)
      return InvalidArgumentError("shares of " + field + " sum to " + std::to_string(sum) +
                                  " basis points; they must sum to exactly 10000")
          .WithField(field);
    for (size_t i = 0; i < holders.size(); ++i) {
      const std::string& party = holders[i].party;
      // Removed members still count: they may hold shares.
      bool found = false;
      if (auto kind = PartyKindOf(party)) {
        VT_ASSIGN_OR_RETURN(found, *kind == PartyKind::kOrganization
                                       ? repo.OrgExists(party)
                                       : repo.MemberExists(party, /*active_only=*/false));
      }
      if (!found)
        return InvalidArgumentError(field + "[" + std::to_string(i) + "].party '" + party +
                                    "' is not a registered organization or member")
            .WithField(field + "[" + std::to_string(i) + "].party");
    }
  }
  return OkStatus();
}

Status Validate(WorkInput& in) {
  if (!Contains(kWorkTypes, in.type))
    return InvalidArgumentError("unknown work type '" + in.type + "'").WithField("type");
  VT_RETURN_IF_ERROR(ValidateTitles(in.titles));
  VT_ASSIGN_OR_RETURN(in.sha256, NormalizeDigestHex(in.sha256, "digests.sha256"));
  if (!in.sm3.empty()) {
    VT_ASSIGN_OR_RETURN(in.sm3, NormalizeDigestHex(in.sm3, "digests.sm3"));
  }
  return NormalizeIdentifiers(in.identifiers);
}

// 409 for a second claim on the same content, pointing at the first claim.
Status DuplicateClaim(const store::WorkClaim& first) {
  Json d = {{"existing_work", first.work_id}, {"log_index", nullptr}};
  if (first.log_index) d["log_index"] = *first.log_index;
  return AlreadyExistsError("content sha256 is already registered as work " + first.work_id)
      .WithField("digests.sha256")
      .WithDetails(d.dump());
}

}  // namespace

Status RegisterWork(RightsTx& tx, const Principal& p, Work& w) {
  store::RightsWriter& repo = tx.repo();
  VT_ASSIGN_OR_RETURN(auto first, repo.FindWorkClaim(w.data.sha256));
  if (first) return DuplicateClaim(*first);
  VT_RETURN_IF_ERROR(ValidateRights(repo, w.data.rights));
  w.created_at = FormatRfc3339(tx.clock().Now());
  Json j = w.ToJson();
  VT_RETURN_IF_ERROR(
      repo.InsertWork({w.id, w.org_id, w.data.type, w.data.sha256,
                       w.data.sm3.empty() ? std::nullopt : std::optional<std::string>(w.data.sm3),
                       j.dump(), w.created_at, w.created_by, std::nullopt}));
  j.erase("log_index");
  return tx.Log(p, "work.registered", {{"org", w.org_id}, {"work", w.id}}, j);
}

StatusOr<Written<Work>> WorkRegistry::Register(const Principal& p, WorkInput in) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not register works");
  VT_RETURN_IF_ERROR(Validate(in));
  Work w{NewId("wrk", rng_), p.org_id, std::move(in), "", p.member_id, {}};
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) { return RegisterWork(tx, p, w); });
  });
  VT_RETURN_IF_ERROR(res.status());
  // The entry's index is known only once its batch commits. Record it with a second,
  // unlogged write; until then a duplicate claim reports "log_index": null.
  w.log_index = res->receipts.at(0)["index"].get<int64_t>();
  auto fix = svc_.Write([&](WriteContext& ctx) -> Status {
    return store::NewSqlRightsRepo(ctx.conn())->SetWorkLogIndex(w.id, *w.log_index);
  });
  VT_RETURN_IF_ERROR(fix.status());
  return Written<Work>{w, res->receipts};
}

StatusOr<Work> WorkRegistry::Get(const Principal& p, const std::string& work_id) {
  return svc_.Read<Work>(
      [&](store::Conn& c) { return LoadVisibleWork(*store::NewSqlRightsRepo(c), p, work_id); });
}

StatusOr<std::vector<Work>> WorkRegistry::List(const Principal& p, int limit) {
  if (limit < 1 || limit > 1000)
    return InvalidArgumentError("limit must be 1-1000").WithField("limit");
  return svc_.Read<std::vector<Work>>([&](store::Conn& c) -> StatusOr<std::vector<Work>> {
    std::optional<std::string> org;
    if (!p.is_operator) org = p.org_id;
    VT_ASSIGN_OR_RETURN(auto rows, store::NewSqlRightsRepo(c)->ListWorks(org, limit));
    std::vector<Work> out;
    for (const auto& r : rows) {
      VT_ASSIGN_OR_RETURN(Work w, WorkFromRow(r));
      out.push_back(std::move(w));
    }
    return out;
  });
}

}  // namespace vt::app
