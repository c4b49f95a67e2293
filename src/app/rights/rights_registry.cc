// Transfers and licences: proposal, signing, taking effect (rights_registry.h).
#include "app/rights/rights_registry.h"

#include <algorithm>

#include "app/core/domain_names.h"
#include "app/rights/agreements_internal.h"
#include "app/rights/parties.h"
#include "app/rights/works_internal.h"
#include "crypto/digest.h"

namespace vt::app {
namespace {

const char* KindName(DocumentKind k) { return store::DocumentKindName(k); }
const char* StatusName(DocumentStatus s) { return store::DocumentStatusName(s); }

StatusOr<WorkDocument> DocFromRow(const store::WorkDocumentRow& r) {
  WorkDocument d{r.hash, r.work_id, r.kind,         r.right_type, r.exclusive, r.document, {},
                 {},     r.status,  r.effective_at, r.created_at, r.log_index, {}};
  auto doc = ParseJsonStrict(d.canonical);
  if (!doc.ok()) return InternalError("work document " + d.hash + " is corrupt");
  d.document = std::move(*doc);
  for (const auto& p : d.document.value("parties", Json::array()))
    d.parties.push_back(p.get<std::string>());
  return d;
}

StatusOr<Work> LoadWritableWork(store::RightsReader& repo, const Principal& p,
                                const std::string& id) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not propose transfers or licences");
  VT_ASSIGN_OR_RETURN(Work w, LoadVisibleWork(repo, p, id));
  if (!p.is_operator && w.org_id != p.org_id)
    return PermissionDeniedError("only organization " + w.org_id + " may propose this");
  return w;
}

const std::vector<RightShare>* Holders(const Work& w, const std::string& right) {
  auto it = w.data.rights.find(right);
  return it == w.data.rights.end() ? nullptr : &it->second;
}

StatusOr<const std::vector<RightShare>*> HeldRight(const Work& w, const std::string& right) {
  const auto* holders = Holders(w, right);
  if (!holders)
    return InvalidArgumentError("work " + w.id + " records no holders of right '" + right + "'")
        .WithField("right");
  return holders;
}

bool Overlap(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return true;  // empty = all
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  return false;
}

bool ScopesOverlap(const Json& a, const Json& b) {
  auto list = [](const Json& s, const char* k) { return s.value(k, std::vector<std::string>{}); };
  return Overlap(list(a, "territory"), list(b, "territory")) &&
         Overlap(list(a, "channel"), list(b, "channel")) &&
         a["period"]["from"].get<std::string>() <= b["period"]["to"].get<std::string>() &&
         b["period"]["from"].get<std::string>() <= a["period"]["to"].get<std::string>();
}

// Builds, stores and logs a pending document.
Status StoreDocument(RightsTx& tx, const Principal& p, WorkDocument& d, const Json& body,
                     Rng& rng) {
  d.document = body;
  d.document["nonce"] = NewId("doc", rng);  // two identical proposals stay distinct
  VT_ASSIGN_OR_RETURN(d.canonical, Canonicalize(d.document));
  d.hash = HexEncode(crypto::Sha256(d.canonical));
  d.status = DocumentStatus::kPending;
  d.created_at = FormatRfc3339(tx.clock().Now());
  VT_RETURN_IF_ERROR(tx.repo().InsertWorkDocument({d.hash, d.work_id, d.kind, d.right, d.exclusive,
                                                   d.canonical, d.status, std::nullopt,
                                                   d.created_at, p.member_id, std::nullopt}));
  return tx.Log(p, std::string("work.") + KindName(d.kind) + ".proposed",
                {{"org", p.org_id}, {"work", d.work_id}},
                {{"hash", d.hash}, {"document", d.document}});
}

// Moves a transfer's share in the work's record. FailedPrecondition if `from`
// no longer holds it.
Status ApplyTransfer(store::RightsWriter& repo, const WorkDocument& d) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindWork(d.work_id));
  if (!row) return InternalError("work " + d.work_id + " vanished");
  Json record = Json::parse(row->record, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object()) return InternalError("work " + d.work_id + " record is corrupt");
  const Json& t = d.document;
  Json& holders = record["rights"][t["right"].get<std::string>()];
  int64_t share = t["share_bp"].get<int64_t>();
  int64_t held = 0;
  for (const auto& h : holders)
    if (h["party"] == t["from"]) held = h["share_bp"].get<int64_t>();
  if (held < share)
    return FailedPreconditionError(t["from"].get<std::string>() + " no longer holds " +
                                   std::to_string(share) + " bp of " +
                                   t["right"].get<std::string>());
  Json out = Json::array();
  bool merged = false;
  for (auto h : holders) {
    if (h["party"] == t["from"]) {
      if (held == share) continue;  // the whole share moves
      h["share_bp"] = held - share;
    } else if (h["party"] == t["to"]) {
      h["share_bp"] = h["share_bp"].get<int64_t>() + share;
      merged = true;
    }
    out.push_back(h);
  }
  if (!merged) out.push_back({{"party", t["to"]}, {"share_bp", share}});
  holders = out;
  return repo.SetWorkRecord(d.work_id, record.dump());
}

// Whether `p` (its member or its organization) must sign `d`.
bool IsParty(const Principal& p, const WorkDocument& d) {
  return std::find(d.parties.begin(), d.parties.end(), p.member_id) != d.parties.end() ||
         std::find(d.parties.begin(), d.parties.end(), p.org_id) != d.parties.end();
}

}  // namespace

StatusOr<Written<WorkDocument>> RightsRegistry::ProposeTransfer(const Principal& p,
                                                                const std::string& work_id,
                                                                const TransferInput& in) {
  WorkDocument d;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) -> Status {
      store::RightsWriter& repo = tx.repo();
      VT_ASSIGN_OR_RETURN(Work w, LoadWritableWork(repo, p, work_id));
      VT_ASSIGN_OR_RETURN(const auto* holders, HeldRight(w, in.right));
      auto it = std::find_if(holders->begin(), holders->end(),
                             [&](const RightShare& h) { return h.party == in.from; });
      if (it == holders->end())
        return InvalidArgumentError(in.from + " holds no share of " + in.right + " of " + work_id)
            .WithField("from");
      if (in.share_bp < 1 || in.share_bp > it->share_bp)
        return InvalidArgumentError("share_bp must be 1-" + std::to_string(it->share_bp) +
                                    " (what " + in.from + " holds), not " +
                                    std::to_string(in.share_bp))
            .WithField("share_bp");
      if (in.to == in.from) return InvalidArgumentError("to must differ from from").WithField("to");
      VT_RETURN_IF_ERROR(CheckParty(repo, in.to, "to"));
      d = WorkDocument{"", work_id, DocumentKind::kTransfer, in.right};
      d.parties = {in.from};
      Json body = {{"type", kTransferType}, {"work", work_id}, {"right", in.right},
                   {"from", in.from},       {"to", in.to},     {"share_bp", in.share_bp},
                   {"parties", d.parties}};
      return StoreDocument(tx, p, d, body, rng_);
    });
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<WorkDocument>{std::move(d), res->receipts};
}

StatusOr<Written<WorkDocument>> RightsRegistry::ProposeLicence(const Principal& p,
                                                               const std::string& work_id,
                                                               const LicenceInput& in) {
  WorkDocument d;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) -> Status {
      store::RightsWriter& repo = tx.repo();
      VT_ASSIGN_OR_RETURN(Work w, LoadWritableWork(repo, p, work_id));
      VT_ASSIGN_OR_RETURN(const auto* holders, HeldRight(w, in.right));
      VT_RETURN_IF_ERROR(CheckParty(repo, in.licensee, "licensee"));
      Json scope = {{"territory", in.scope.territory},
                    {"channel", in.scope.channel},
                    {"period", {{"from", in.scope.from}, {"to", in.scope.to}}}};
      VT_ASSIGN_OR_RETURN(auto others, repo.ListLicences(work_id, in.right));
      for (const auto& r : others) {
        VT_ASSIGN_OR_RETURN(WorkDocument o, DocFromRow(r));
        if ((in.exclusive || o.exclusive) && ScopesOverlap(scope, o.document["scope"]))
          return AlreadyExistsError("the scope overlaps " +
                                    std::string(o.exclusive ? "exclusive " : "") + "licence " +
                                    o.hash + " (" + StatusName(o.status) + ") of " + in.right)
              .WithField("scope")
              .WithDetails(Json({{"conflicting", o.hash}}).dump());
      }
      d = WorkDocument{"", work_id, DocumentKind::kLicence, in.right, in.exclusive};
      for (const auto& h : *holders) d.parties.push_back(h.party);
      std::sort(d.parties.begin(), d.parties.end());
      Json body = {{"type", kLicenceType},    {"work", work_id}, {"right", in.right},
                   {"licensee", in.licensee}, {"scope", scope},  {"exclusive", in.exclusive},
                   {"parties", d.parties}};
      return StoreDocument(tx, p, d, body, rng_);
    });
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<WorkDocument>{std::move(d), res->receipts};
}

StatusOr<Written<WorkDocument>> RightsRegistry::Sign(const Principal& p, const std::string& work_id,
                                                     const std::string& hash,
                                                     const std::string& certificate,
                                                     const std::string& signature) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) + "' may not sign");
  WorkDocument d;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    return RunRightsTx(ctx, [&](RightsTx& tx) -> Status {
      store::RightsWriter& repo = tx.repo();
      VT_ASSIGN_OR_RETURN(auto row, repo.FindWorkDocument(work_id, hash));
      auto work = LoadWork(repo, work_id);
      if (!row || !work.ok()) return NotFoundError("work " + work_id + " has no document " + hash);
      VT_ASSIGN_OR_RETURN(d, DocFromRow(*row));
      if (!p.CanRead(work->org_id) && !IsParty(p, d))
        return NotFoundError("work " + work_id + " has no document " + hash);
      if (d.status != DocumentStatus::kPending)
        return FailedPreconditionError(std::string(KindName(d.kind)) + " " + hash + " is " +
                                       StatusName(d.status) + " already");
      VT_ASSIGN_OR_RETURN(
          VerifiedSigner signer,
          VerifyMemberSignature(repo, tx.clock().Now(), certificate, d.canonical, signature));
      VT_ASSIGN_OR_RETURN(d.signatures, LoadSignatures(repo, hash));
      DocSignature sig;
      bool complete = false;
      VT_RETURN_IF_ERROR(
          RecordSignature(tx, hash, d.parties, d.signatures, signer, &sig, &complete));
      d.signatures.push_back(sig);
      Json subject = {{"org", work->org_id}, {"work", work_id}};
      const std::string entry = std::string("work.") + KindName(d.kind);
      VT_RETURN_IF_ERROR(tx.Log(p, entry + ".signed", subject,
                                {{"hash", hash},
                                 {"signer_member", sig.signer_member},
                                 {"parties", sig.parties},
                                 {"cert_serial", sig.cert_serial},
                                 {"signature", sig.signature_b64}}));
      if (!complete) return OkStatus();
      if (d.kind == DocumentKind::kTransfer) VT_RETURN_IF_ERROR(ApplyTransfer(repo, d));
      d.status = DocumentStatus::kEffective;
      d.effective_at = FormatRfc3339(tx.clock().Now());
      VT_RETURN_IF_ERROR(repo.MarkWorkDocumentEffective(hash, *d.effective_at));
      return tx.Log(p, entry + ".effective", subject,
                    {{"hash", hash}, {"effective_at", *d.effective_at}});
    });
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<WorkDocument>{std::move(d), res->receipts};
}

StatusOr<std::vector<WorkDocument>> RightsRegistry::List(const Principal& p,
                                                         const std::string& work_id) {
  return svc_.Read<std::vector<WorkDocument>>(
      [&](store::Conn& c) -> StatusOr<std::vector<WorkDocument>> {
        auto repo = store::NewSqlRightsRepo(c);
        VT_RETURN_IF_ERROR(LoadVisibleWork(*repo, p, work_id).status());
        VT_ASSIGN_OR_RETURN(auto rows, repo->ListWorkDocuments(work_id));
        std::vector<WorkDocument> out;
        for (const auto& r : rows) {
          VT_ASSIGN_OR_RETURN(WorkDocument d, DocFromRow(r));
          VT_ASSIGN_OR_RETURN(d.signatures, LoadSignatures(*repo, d.hash));
          out.push_back(std::move(d));
        }
        return out;
      });
}

StatusOr<WorkDocument> RightsRegistry::Get(const Principal& p, const std::string& work_id,
                                           const std::string& hash) {
  // The work's organization, the operator and the document's parties (a holder in
  // another organization must read what it signs) may read it.
  return svc_.Read<WorkDocument>([&](store::Conn& c) -> StatusOr<WorkDocument> {
    auto repo = store::NewSqlRightsRepo(c);
    VT_ASSIGN_OR_RETURN(auto row, repo->FindWorkDocument(work_id, hash));
    auto work = LoadWork(*repo, work_id);
    if (!work.ok() && work.status().code() != StatusCode::kNotFound) return work.status();
    if (!row || !work.ok()) return NotFoundError("work " + work_id + " has no document " + hash);
    VT_ASSIGN_OR_RETURN(WorkDocument d, DocFromRow(*row));
    if (!p.CanRead(work->org_id) && !IsParty(p, d))
      return NotFoundError("work " + work_id + " has no document " + hash);
    VT_ASSIGN_OR_RETURN(d.signatures, LoadSignatures(*repo, d.hash));
    return d;
  });
}

}  // namespace vt::app
