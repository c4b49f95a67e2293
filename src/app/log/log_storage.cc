#include "app/log/log_storage.h"

#include "tlog/tile_path.h"

namespace vt::app::logstore {
namespace {

constexpr int64_t kWidth = tlog::kTileWidth;

// Entries [lo, hi) from the loose rows; NotFound unless every one is there.
StatusOr<std::vector<std::string>> ReadLoose(store::LogReader& repo, int64_t lo, int64_t hi) {
  VT_ASSIGN_OR_RETURN(auto entries, repo.LooseEntries(lo, hi));
  if (static_cast<int64_t>(entries.size()) != hi - lo)
    return NotFoundError("log entries " + std::to_string(lo) + ".." + std::to_string(hi - 1) +
                         " are not all stored");
  return entries;
}

// Writes bundle `bundle` (256 entries) and drops its loose rows.
Status WriteBundle(store::LogWriter& repo, int64_t bundle,
                   const std::vector<std::string>& entries) {
  VT_ASSIGN_OR_RETURN(std::string data, tlog::EncodeEntryBundle(entries));
  VT_RETURN_IF_ERROR(repo.InsertBundle(bundle, data));
  return repo.DeleteLooseEntries(bundle * kWidth, (bundle + 1) * kWidth);
}

// The stored full bundle `bundle`, decoded; NotFound if it is not stored.
StatusOr<std::vector<std::string>> ReadStoredBundle(store::LogReader& repo, int64_t bundle) {
  VT_ASSIGN_OR_RETURN(std::string data, repo.Bundle(bundle));
  auto entries = tlog::DecodeEntryBundle(data, tlog::kTileWidth);
  if (!entries.ok())
    return DataLossError("stored entry bundle " + std::to_string(bundle) +
                         " does not decode: " + entries.status().message());
  return entries;
}

}  // namespace

StatusOr<std::string> ReadTile(store::LogReader& repo, int level, int64_t index) {
  auto full = repo.FullTile(level, index);
  if (full.ok() || full.status().code() != StatusCode::kNotFound) return full;
  return repo.EdgeTile(level, index);
}

Status WriteTile(store::LogWriter& repo, const tlog::Tile& t) {
  if (t.width == tlog::kTileWidth) {
    VT_RETURN_IF_ERROR(repo.PutFullTile(t.level, t.index, t.hashes));
    return repo.DropEdgeTile(t.level, t.index);
  }
  return repo.PutEdgeTile(t.level, t.index, t.hashes);
}

Status AppendEntries(store::LogWriter& repo, int64_t base_size,
                     const std::vector<std::string>& entries) {
  const int64_t end = base_size + static_cast<int64_t>(entries.size());
  int64_t next = base_size;  // leaf index of entries[next - base_size]
  while (next < end) {
    const int64_t bundle = next / kWidth;
    const int64_t bundle_end = (bundle + 1) * kWidth;
    if (end < bundle_end) break;  // the rest stays loose
    std::vector<std::string> full;
    if (next > bundle * kWidth) {
      VT_ASSIGN_OR_RETURN(full, ReadLoose(repo, bundle * kWidth, next));
    }
    full.reserve(kWidth);
    for (; next < bundle_end; ++next) full.push_back(entries[next - base_size]);
    VT_RETURN_IF_ERROR(WriteBundle(repo, bundle, full));
  }
  for (; next < end; ++next)
    VT_RETURN_IF_ERROR(repo.InsertLooseEntry(next, entries[next - base_size]));
  return OkStatus();
}

StatusOr<std::vector<std::string>> ReadBundleEntries(store::LogReader& repo, int64_t bundle,
                                                     int width) {
  if (width < 1 || width > tlog::kTileWidth)
    return InvalidArgumentError("entry bundle width must be 1..256");
  auto stored = ReadStoredBundle(repo, bundle);
  if (stored.ok()) {
    stored->resize(static_cast<size_t>(width));
    return stored;
  }
  if (stored.status().code() != StatusCode::kNotFound) return stored.status();
  return ReadLoose(repo, bundle * kWidth, bundle * kWidth + width);
}

StatusOr<std::string> ReadBundle(store::LogReader& repo, int64_t bundle, int width) {
  if (width == tlog::kTileWidth) {
    auto data = repo.Bundle(bundle);
    if (data.ok() || data.status().code() != StatusCode::kNotFound) return data;
  }
  VT_ASSIGN_OR_RETURN(auto entries, ReadBundleEntries(repo, bundle, width));
  return tlog::EncodeEntryBundle(entries);
}

StatusOr<std::string> ReadEntry(store::LogReader& repo, int64_t index) {
  if (index < 0) return NotFoundError("no log entry " + std::to_string(index));
  auto loose = repo.LooseEntry(index);
  if (loose.ok() || loose.status().code() != StatusCode::kNotFound) return loose;
  auto bundle = ReadStoredBundle(repo, index / kWidth);
  if (!bundle.ok()) {
    if (bundle.status().code() == StatusCode::kNotFound)
      return NotFoundError("no log entry " + std::to_string(index));
    return bundle.status();
  }
  return std::move((*bundle)[static_cast<size_t>(index % kWidth)]);
}

StatusOr<int64_t> CompactFullBundles(store::LogWriter& repo, int64_t size) {
  const int64_t full = size / kWidth;
  VT_ASSIGN_OR_RETURN(auto bundles, repo.BundlesOfLooseEntriesBelow(full * kWidth));
  int64_t moved = 0;
  for (const int64_t bundle : bundles) {
    VT_ASSIGN_OR_RETURN(auto entries, ReadLoose(repo, bundle * kWidth, (bundle + 1) * kWidth));
    VT_RETURN_IF_ERROR(WriteBundle(repo, bundle, entries));
    ++moved;
  }
  return moved;
}

// The same over a connection, through the SQL repository.

StatusOr<std::string> ReadTile(store::Conn& conn, int level, int64_t index) {
  return ReadTile(*store::NewSqlLogRepo(conn), level, index);
}
Status WriteTile(store::Conn& conn, const tlog::Tile& tile) {
  return WriteTile(*store::NewSqlLogRepo(conn), tile);
}
Status AppendEntries(store::Conn& conn, int64_t base_size,
                     const std::vector<std::string>& entries) {
  return AppendEntries(*store::NewSqlLogRepo(conn), base_size, entries);
}
StatusOr<std::vector<std::string>> ReadBundleEntries(store::Conn& conn, int64_t bundle, int width) {
  return ReadBundleEntries(*store::NewSqlLogRepo(conn), bundle, width);
}
StatusOr<std::string> ReadBundle(store::Conn& conn, int64_t bundle, int width) {
  return ReadBundle(*store::NewSqlLogRepo(conn), bundle, width);
}
StatusOr<std::string> ReadEntry(store::Conn& conn, int64_t index) {
  return ReadEntry(*store::NewSqlLogRepo(conn), index);
}
StatusOr<int64_t> CompactFullBundles(store::Conn& conn, int64_t size) {
  return CompactFullBundles(*store::NewSqlLogRepo(conn), size);
}

}  // namespace vt::app::logstore
