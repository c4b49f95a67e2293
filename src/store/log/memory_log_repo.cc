#include "store/log/memory_log_repo.h"

namespace vt::store {

StatusOr<StoredCheckpoint> MemoryLogRepo::GetCheckpoint() {
  if (!state_) return NotFoundError("no checkpoint");
  return *state_;
}

StatusOr<std::vector<std::string>> MemoryLogRepo::LooseEntries(int64_t lo, int64_t hi) {
  std::vector<std::string> out;
  for (auto it = loose_.lower_bound(lo); it != loose_.end() && it->first < hi; ++it)
    out.push_back(it->second);
  return out;
}

StatusOr<std::string> MemoryLogRepo::LooseEntry(int64_t index) {
  auto it = loose_.find(index);
  if (it == loose_.end()) return NotFoundError("no loose entry");
  return it->second;
}

StatusOr<std::string> MemoryLogRepo::Bundle(int64_t index) {
  auto it = bundles_.find(index);
  if (it == bundles_.end()) return NotFoundError("no bundle");
  return it->second;
}

StatusOr<std::vector<int64_t>> MemoryLogRepo::BundlesOfLooseEntriesBelow(int64_t end) {
  std::vector<int64_t> out;
  for (auto it = loose_.begin(); it != loose_.end() && it->first < end; ++it) {
    int64_t bundle = it->first / 256;
    if (out.empty() || out.back() != bundle) out.push_back(bundle);
  }
  return out;
}

StatusOr<std::string> MemoryLogRepo::FullTile(int level, int64_t index) {
  auto it = tiles_.find({level, index});
  if (it == tiles_.end()) return NotFoundError("no tile");
  return it->second;
}

StatusOr<std::string> MemoryLogRepo::EdgeTile(int level, int64_t index) {
  auto it = edges_.find(level);
  if (it == edges_.end() || it->second.first != index) return NotFoundError("no edge tile");
  return it->second.second;
}

Status MemoryLogRepo::CreateCheckpoint(const std::string& root, const std::string& note) {
  if (!state_) state_ = StoredCheckpoint{0, root, note};
  return OkStatus();
}

StatusOr<bool> MemoryLogRepo::AdvanceCheckpoint(int64_t base_size, int64_t size,
                                                const std::string& root, const std::string& note) {
  if (!state_ || state_->size != base_size) return false;
  *state_ = StoredCheckpoint{size, root, note};
  return true;
}

Status MemoryLogRepo::InsertLooseEntry(int64_t index, const std::string& data) {
  if (!loose_.emplace(index, data).second) return AlreadyExistsError("loose entry exists");
  return OkStatus();
}

Status MemoryLogRepo::DeleteLooseEntries(int64_t lo, int64_t hi) {
  loose_.erase(loose_.lower_bound(lo), loose_.lower_bound(hi));
  return OkStatus();
}

Status MemoryLogRepo::InsertBundle(int64_t index, const std::string& data) {
  if (!bundles_.emplace(index, data).second) return AlreadyExistsError("bundle exists");
  return OkStatus();
}

Status MemoryLogRepo::PutFullTile(int level, int64_t index, const std::string& hashes) {
  tiles_[{level, index}] = hashes;
  return OkStatus();
}

Status MemoryLogRepo::DropEdgeTile(int level, int64_t index) {
  auto it = edges_.find(level);
  if (it != edges_.end() && it->second.first == index) edges_.erase(it);
  return OkStatus();
}

Status MemoryLogRepo::PutEdgeTile(int level, int64_t index, const std::string& hashes) {
  edges_[level] = {index, hashes};
  return OkStatus();
}

}  // namespace vt::store
