// Agreement registry: creation, amendment, signing and entry into force
// (agreements.h; docs/agreements.md).
#include "app/rights/agreements.h"

#include <algorithm>
#include <set>

#include "app/core/domain_names.h"
#include "app/rights/agreements_internal.h"
#include "app/rights/parties.h"
#include "app/rights/works_internal.h"
#include "crypto/digest.h"

namespace vt::app {
namespace {

// Re-anchors a terms error's field under "terms." (InvalidArgument stays 400).
Status UnderTerms(const Status& s) {
  std::string field = s.field().empty() ? "terms" : "terms." + s.field();
  return Status(s.code(), "terms: " + s.message()).WithField(field);
}

// Fills the members the registry owns ("id", "version", "work") into `terms`,
// refusing values that contradict them, then parses and validates.
StatusOr<settlement::Agreement> ParseTerms(Json terms, const std::string& agreement_id,
                                           int64_t version, const std::string& work_id) {
  if (!terms.is_object())
    return InvalidArgumentError("terms must be a JSON object (the agreement's waterfall)")
        .WithField("terms");
  auto own = [&](const char* key, const Json& value) -> Status {
    if (terms.contains(key) && terms[key] != value)
      return InvalidArgumentError(std::string("terms.") + key + " must be " + value.dump() +
                                  " (set by the registry) or absent")
          .WithField(std::string("terms.") + key);
    terms[key] = value;
    return OkStatus();
  };
  if (!terms.contains("format")) terms["format"] = settlement::kAgreementFormat;
  VT_RETURN_IF_ERROR(own("id", agreement_id));
  VT_RETURN_IF_ERROR(own("version", version));
  VT_RETURN_IF_ERROR(own("work", work_id));
  auto parsed = settlement::Agreement::FromJson(terms);
  if (!parsed.ok()) return UnderTerms(parsed.status());
  return parsed;
}

// Builds version `n` of `agreement_id` (pending) and checks its parties exist.
StatusOr<AgreementVersion> BuildVersion(store::RightsReader& repo, const std::string& agreement_id,
                                        int64_t n, const std::optional<AgreementVersion>& prev,
                                        const std::string& work_id, const Json& terms_json) {
  VT_ASSIGN_OR_RETURN(settlement::Agreement terms,
                      ParseTerms(terms_json, agreement_id, n, work_id));
  std::set<std::string> parties;
  for (size_t i = 0; i < terms.parties.size(); ++i) {
    VT_RETURN_IF_ERROR(
        CheckParty(repo, terms.parties[i].id, "terms.parties[" + std::to_string(i) + "].id"));
    parties.insert(terms.parties[i].id);
  }
  if (prev) parties.insert(prev->parties.begin(), prev->parties.end());
  AgreementVersion v;
  v.agreement_id = agreement_id;
  v.version = n;
  v.parties.assign(parties.begin(), parties.end());
  v.document = {{"type", kAgreementVersionType},
                {"agreement", agreement_id},
                {"version", n},
                {"previous", prev ? Json(prev->hash) : Json(nullptr)},
                {"work", work_id},
                {"terms", terms.ToJson()},
                {"parties", v.parties}};
  VT_ASSIGN_OR_RETURN(v.canonical, Canonicalize(v.document));
  v.hash = HexEncode(crypto::Sha256(v.canonical));
  v.terms = std::move(terms);
  v.status = VersionStatus::kPending;
  return v;
}

Status InsertVersion(RightsTx& tx, AgreementVersion& v) {
  v.created_at = FormatRfc3339(tx.clock().Now());
  return tx.repo().InsertAgreementVersion({v.hash, v.agreement_id, v.version, v.canonical, v.status,
                                           std::nullopt, v.created_at, std::nullopt});
}

Status LogEntry(RightsTx& tx, const Principal& p, const std::string& type, const std::string& org,
                const std::string& agreement, const Json& payload) {
  return tx.Log(p, type, {{"org", org}, {"agreement", agreement}}, payload);
}

Json VersionPayload(const AgreementVersion& v) {
  return {{"version", v.version},
          {"hash", v.hash},
          {"previous", v.document["previous"]},
          {"work", v.document["work"]},
          {"parties", v.parties}};
}

StatusOr<AgreementRecord> LoadRecord(store::RightsReader& repo, const std::string& id) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindAgreement(id));
  if (!row) return NotFoundError("no agreement " + id);
  AgreementRecord a{row->id, row->org_id, row->work_id, row->title, row->created_at, {}};
  VT_ASSIGN_OR_RETURN(auto vs, repo.ListAgreementVersions(id));
  for (const auto& r : vs) {
    VT_ASSIGN_OR_RETURN(AgreementVersion v, VersionFromRow(r));
    VT_ASSIGN_OR_RETURN(v.signatures, LoadSignatures(repo, v.hash));
    a.versions.push_back(std::move(v));
  }
  return a;
}

// Owner organization, operator, and every party named by any version may read.
bool MayRead(const Principal& p, const AgreementRecord& a) {
  if (p.CanRead(a.org_id)) return true;
  for (const auto& v : a.versions)
    for (const auto& party : v.parties)
      if (party == p.org_id || party == p.member_id) return true;
  return false;
}

StatusOr<AgreementRecord> LoadVisible(store::RightsReader& repo, const Principal& p,
                                      const std::string& id) {
  auto a = LoadRecord(repo, id);
  if (!a.ok() && a.status().code() != StatusCode::kNotFound) return a.status();
  if (!a.ok() || !MayRead(p, *a)) return NotFoundError("no agreement " + id);
  return a;
}

Status CheckWriter(const Principal& p, const char* what) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) + "' may not " + what);
  return OkStatus();
}

// Records the log index of a version's created/amended entry (unlogged write).
Status SetLogIndex(Service& svc, const std::string& hash, int64_t index) {
  return svc
      .Write([&](WriteContext& ctx) -> Status {
        return store::NewSqlRightsRepo(ctx.conn())->SetVersionLogIndex(hash, index);
      })
      .status();
}

}  // namespace

StatusOr<Written<AgreementRecord>> AgreementRegistry::Create(const Principal& p,
                                                             const std::string& work_id,
                                                             const std::string& title,
                                                             const Json& terms) {
  VT_RETURN_IF_ERROR(CheckWriter(p, "create agreements"));
  if (!title.empty() && !IsValidName(title, 500))
    return InvalidArgumentError("title must be 1-500 characters").WithField("title");
  if (work_id.empty()) return InvalidArgumentError("work_id is required").WithField("work_id");
  AgreementRecord a{NewId("agr", rng_), p.org_id, work_id, title, "", {}};
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) -> Status {
      store::RightsWriter& repo = tx.repo();
      auto work = LoadVisibleWork(repo, p, work_id);
      if (!work.ok()) return std::move(work).status().WithField("work_id");
      VT_ASSIGN_OR_RETURN(AgreementVersion v,
                          BuildVersion(repo, a.id, 1, std::nullopt, work_id, terms));
      if (a.title.empty()) a.title = v.terms.title;
      a.created_at = FormatRfc3339(tx.clock().Now());
      VT_RETURN_IF_ERROR(repo.InsertAgreement({a.id, a.org_id, work_id, a.title, a.created_at}));
      VT_RETURN_IF_ERROR(InsertVersion(tx, v));
      Json payload = VersionPayload(v);
      // agreement.created v2 (docs/log-entries.md): a title is the studio's
      // business (it may name a deal or a person), so the log carries its commitment.
      payload["title"] = Confidential(a.title, a.org_id);
      a.versions = {std::move(v)};
      return tx.Log(p, "agreement.created", {{"org", a.org_id}, {"agreement", a.id}}, payload, 2);
    });
  });
  VT_RETURN_IF_ERROR(res.status());
  int64_t index = res->receipts.at(0)["index"].get<int64_t>();
  a.versions[0].log_index = index;
  VT_RETURN_IF_ERROR(SetLogIndex(svc_, a.versions[0].hash, index));
  return Written<AgreementRecord>{std::move(a), res->receipts};
}

StatusOr<Written<AgreementVersion>> AgreementRegistry::Amend(const Principal& p,
                                                             const std::string& agreement_id,
                                                             const Json& terms) {
  VT_RETURN_IF_ERROR(CheckWriter(p, "amend agreements"));
  AgreementVersion out;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) -> Status {
      store::RightsWriter& repo = tx.repo();
      VT_ASSIGN_OR_RETURN(AgreementRecord a, LoadVisible(repo, p, agreement_id));
      if (!p.is_operator && p.org_id != a.org_id)
        return PermissionDeniedError("only organization " + a.org_id + " may amend agreement " +
                                     a.id);
      std::optional<AgreementVersion> prev;
      for (const auto& v : a.versions)
        if (v.status == VersionStatus::kInForce) prev = v;
      int64_t n = a.versions.empty() ? 1 : a.versions.back().version + 1;
      VT_ASSIGN_OR_RETURN(out, BuildVersion(repo, a.id, n, prev, a.work_id.value_or(""), terms));
      // A still-pending older version is withdrawn: it can never enter in force.
      VT_RETURN_IF_ERROR(repo.WithdrawPendingVersions(a.id));
      VT_RETURN_IF_ERROR(InsertVersion(tx, out));
      return LogEntry(tx, p, "agreement.amended", a.org_id, a.id, VersionPayload(out));
    });
  });
  VT_RETURN_IF_ERROR(res.status());
  out.log_index = res->receipts.at(0)["index"].get<int64_t>();
  VT_RETURN_IF_ERROR(SetLogIndex(svc_, out.hash, *out.log_index));
  return Written<AgreementVersion>{std::move(out), res->receipts};
}

StatusOr<AgreementRecord> AgreementRegistry::Get(const Principal& p,
                                                 const std::string& agreement_id) {
  return svc_.Read<AgreementRecord>(
      [&](store::Conn& c) { return LoadVisible(*store::NewSqlRightsRepo(c), p, agreement_id); });
}

StatusOr<std::vector<AgreementRecord>> AgreementRegistry::List(const Principal& p,
                                                               const std::string& work_id,
                                                               const std::string& party) {
  store::AgreementListQuery q;
  q.all = p.is_operator;
  q.org_id = p.org_id;
  q.mentions = {p.org_id};
  if (!p.member_id.empty()) q.mentions.push_back(p.member_id);
  q.work_id = work_id;
  q.party = party;
  return svc_.Read<std::vector<AgreementRecord>>(
      [&](store::Conn& c) -> StatusOr<std::vector<AgreementRecord>> {
        auto repo = store::NewSqlRightsRepo(c);
        VT_ASSIGN_OR_RETURN(auto ids, repo->ListAgreementIds(q));
        std::vector<AgreementRecord> out;
        for (const auto& id : ids) {
          VT_ASSIGN_OR_RETURN(AgreementRecord a, LoadRecord(*repo, id));
          if (!MayRead(p, a)) continue;  // the query's mentions are textual
          bool named = party.empty();
          for (const auto& v : a.versions)
            named =
                named || std::find(v.parties.begin(), v.parties.end(), party) != v.parties.end();
          if (named) out.push_back(std::move(a));
        }
        return out;
      });
}

StatusOr<AgreementVersion> AgreementRegistry::GetVersionOf(const Principal& p,
                                                           const std::string& agreement_id,
                                                           const std::string& which) {
  VT_ASSIGN_OR_RETURN(AgreementRecord a, Get(p, agreement_id));
  for (auto& v : a.versions)
    if (v.hash == which || std::to_string(v.version) == which) return std::move(v);
  return NotFoundError("agreement " + agreement_id + " has no version " + which);
}

}  // namespace vt::app
