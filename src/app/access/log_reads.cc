#include "app/access/log_reads.h"

namespace vt::app {

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
