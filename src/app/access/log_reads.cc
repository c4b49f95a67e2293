#include "app/access/log_reads.h"

#include "app/core/commitments.h"

namespace vt::app {

bool MayOpen(const Principal& p, const store::LogOpeningRow& o) {
  if (p.CanRead(o.org_id)) return true;
  return !o.party.empty() && (o.party == p.org_id || o.party == p.member_id);
}

StatusOr<Json> OpenCommitments(store::Conn& c, const std::string& entry,
                               const std::function<bool(const store::LogOpeningRow&)>& entitled) {
  VT_ASSIGN_OR_RETURN(Json e, ParseJsonStrict(entry));
  auto repo = store::NewSqlOpeningRepo(c);
  Json out = Json::array();
  for (const auto& [field, commitment] : CommitmentsIn(e)) {
    VT_ASSIGN_OR_RETURN(auto row, repo->FindOpening(commitment));
    if (!row || !entitled(*row)) continue;
    VT_ASSIGN_OR_RETURN(Json value, ParseJsonStrict(row->value));
    Json o = {
        {"field", field}, {"commitment", commitment}, {"salt", row->salt_hex}, {"value", value}};
    if (!CheckOpening(o, commitment).ok())
      return DataLossError("the stored opening of " + commitment + " does not open it");
    out.push_back(std::move(o));
  }
  return out;
}

LogCheckpoint PreferCosigned(LogCheckpoint signed_cp, const std::optional<LogCheckpoint>& cosigned,
                             int64_t min_size) {
  if (cosigned && cosigned->size >= min_size) return *cosigned;
  return signed_cp;
}

std::optional<LogCheckpoint> LogReads::Cosigned() const {
  const Witnessing* w = svc_.witnessing();
  return w ? w->Cosigned() : std::nullopt;
}

StatusOr<LogCheckpoint> LogReads::SignedCheckpoint() {
  return svc_.Read<LogCheckpoint>(TransparencyLog::LoadCheckpoint);
}

StatusOr<LogCheckpoint> LogReads::PublishedCheckpoint() {
  VT_ASSIGN_OR_RETURN(LogCheckpoint cp, SignedCheckpoint());
  return PreferCosigned(std::move(cp), Cosigned());
}

StatusOr<std::string> LogReads::Resource(const tlog::TileCoord& coord, int64_t published_size) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    int64_t size = published_size;
    if (size < 0) {
      VT_ASSIGN_OR_RETURN(auto cp, TransparencyLog::LoadCheckpoint(c));
      size = cp.size;
    }
    return TransparencyLog::ReadResource(c, coord, size);
  });
}

StatusOr<std::string> LogReads::Entry(int64_t index) {
  return svc_.Read<std::string>(
      [&](store::Conn& c) { return TransparencyLog::ReadEntry(c, index); });
}

StatusOr<Json> LogReads::Openings(const Principal& p, int64_t index) {
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    VT_ASSIGN_OR_RETURN(std::string e, TransparencyLog::ReadEntry(c, index));
    VT_ASSIGN_OR_RETURN(Json openings, OpenCommitments(c, e, [&](const store::LogOpeningRow& o) {
                          return MayOpen(p, o);
                        }));
    if (openings.empty())
      return NotFoundError("entry " + std::to_string(index) + " has no commitment you may open");
    Json entry = Json::parse(e);
    return Json{{"index", index},
                {"type", entry.value("type", "")},
                {"v", entry.value("v", 0)},
                {"openings", std::move(openings)}};
  });
}

StatusOr<std::string> LogReads::TlogProofFile(int64_t index) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    VT_ASSIGN_OR_RETURN(auto cp, TransparencyLog::LoadCheckpoint(c));
    return TransparencyLog::TlogProofFile(c, index, PreferCosigned(cp, Cosigned(), index + 1));
  });
}

StatusOr<Json> LogReads::InclusionProof(int64_t index, int64_t size) {
  return svc_.Read<Json>(
      [&](store::Conn& c) { return TransparencyLog::InclusionProof(c, index, size); });
}

StatusOr<Json> LogReads::ConsistencyProof(int64_t old_size, int64_t new_size) {
  return svc_.Read<Json>(
      [&](store::Conn& c) { return TransparencyLog::ConsistencyProof(c, old_size, new_size); });
}

}  // namespace vt::app
