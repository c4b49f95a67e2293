#include "app/log/log_storage.h"

#include "tlog/tile_path.h"

namespace vt::app::logstore {
namespace {

constexpr int64_t kWidth = tlog::kTileWidth;

// Entries [lo, hi) from log_entries; NotFound unless every one is there.
StatusOr<std::vector<std::string>> ReadLoose(store::Conn& conn, int64_t lo, int64_t hi) {
  VT_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT idx, data FROM log_entries WHERE idx >= ? "
                                            "AND idx < ? ORDER BY idx",
                                            {lo, hi}));
  if (static_cast<int64_t>(rows.size()) != hi - lo)
    return NotFoundError("log entries " + std::to_string(lo) + ".." + std::to_string(hi - 1) +
                         " are not all stored");
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(r.Bytes(1));
  return out;
}

// Writes bundle `bundle` (256 entries) and drops its loose rows.
Status WriteBundle(store::Conn& conn, int64_t bundle, const std::vector<std::string>& entries) {
  VT_ASSIGN_OR_RETURN(std::string data, tlog::EncodeEntryBundle(entries));
  VT_RETURN_IF_ERROR(conn.Exec("INSERT INTO log_bundles(idx, data) VALUES(?, ?)",
                               {bundle, store::Blob{std::move(data)}})
                         .status());
  return conn
      .Exec("DELETE FROM log_entries WHERE idx >= ? AND idx < ?",
            {bundle * kWidth, (bundle + 1) * kWidth})
      .status();
}

// The stored full bundle `bundle`, decoded; NotFound if it is not stored.
StatusOr<std::vector<std::string>> ReadStoredBundle(store::Conn& conn, int64_t bundle) {
  VT_ASSIGN_OR_RETURN(auto row,
                      conn.QueryOne("SELECT data FROM log_bundles WHERE idx = ?", {bundle}));
  auto entries = tlog::DecodeEntryBundle(row.Bytes(0), tlog::kTileWidth);
  if (!entries.ok())
    return DataLossError("stored entry bundle " + std::to_string(bundle) +
                         " does not decode: " + entries.status().message());
  return entries;
}

}  // namespace

StatusOr<std::string> ReadTile(store::Conn& conn, int level, int64_t index) {
  auto row = conn.QueryOne("SELECT data FROM log_tiles WHERE level = ? AND idx = ?",
                           {int64_t{level}, index});
  if (row.ok() || row.status().code() != StatusCode::kNotFound) {
    if (!row.ok()) return std::move(row).status();
    return row->Bytes(0);
  }
  VT_ASSIGN_OR_RETURN(auto edge,
                      conn.QueryOne("SELECT data FROM log_edge_tiles WHERE level = ? AND idx = ?",
                                    {int64_t{level}, index}));
  return edge.Bytes(0);
}

Status WriteTile(store::Conn& conn, const tlog::Tile& t) {
  if (t.width == tlog::kTileWidth) {
    VT_RETURN_IF_ERROR(conn.Exec("INSERT INTO log_tiles(level, idx, data) VALUES(?, ?, ?) "
                                 "ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data",
                                 {int64_t{t.level}, t.index, store::Blob{t.hashes}})
                           .status());
    return conn
        .Exec("DELETE FROM log_edge_tiles WHERE level = ? AND idx = ?", {int64_t{t.level}, t.index})
        .status();
  }
  return conn
      .Exec(
          "INSERT INTO log_edge_tiles(level, idx, data) VALUES(?, ?, ?) ON CONFLICT (level) "
          "DO UPDATE SET idx = excluded.idx, data = excluded.data",
          {int64_t{t.level}, t.index, store::Blob{t.hashes}})
      .status();
}

Status AppendEntries(store::Conn& conn, int64_t base_size,
                     const std::vector<std::string>& entries) {
  const int64_t end = base_size + static_cast<int64_t>(entries.size());
  int64_t next = base_size;  // leaf index of entries[next - base_size]
  while (next < end) {
    const int64_t bundle = next / kWidth;
    const int64_t bundle_end = (bundle + 1) * kWidth;
    if (end < bundle_end) break;  // the rest stays loose
    std::vector<std::string> full;
    if (next > bundle * kWidth) {
      VT_ASSIGN_OR_RETURN(full, ReadLoose(conn, bundle * kWidth, next));
    }
    full.reserve(kWidth);
    for (; next < bundle_end; ++next) full.push_back(entries[next - base_size]);
    VT_RETURN_IF_ERROR(WriteBundle(conn, bundle, full));
  }
  for (; next < end; ++next)
    VT_RETURN_IF_ERROR(conn.Exec("INSERT INTO log_entries(idx, data) VALUES(?, ?)",
                                 {next, store::Blob{entries[next - base_size]}})
                           .status());
  return OkStatus();
}

StatusOr<std::vector<std::string>> ReadBundleEntries(store::Conn& conn, int64_t bundle, int width) {
  if (width < 1 || width > tlog::kTileWidth)
    return InvalidArgumentError("entry bundle width must be 1..256");
  auto stored = ReadStoredBundle(conn, bundle);
  if (stored.ok()) {
    stored->resize(static_cast<size_t>(width));
    return stored;
  }
  if (stored.status().code() != StatusCode::kNotFound) return stored.status();
  return ReadLoose(conn, bundle * kWidth, bundle * kWidth + width);
}

StatusOr<std::string> ReadBundle(store::Conn& conn, int64_t bundle, int width) {
  if (width == tlog::kTileWidth) {
    auto row = conn.QueryOne("SELECT data FROM log_bundles WHERE idx = ?", {bundle});
    if (row.ok()) return row->Bytes(0);
    if (row.status().code() != StatusCode::kNotFound) return std::move(row).status();
  }
  VT_ASSIGN_OR_RETURN(auto entries, ReadBundleEntries(conn, bundle, width));
  return tlog::EncodeEntryBundle(entries);
}

StatusOr<std::string> ReadEntry(store::Conn& conn, int64_t index) {
  if (index < 0) return NotFoundError("no log entry " + std::to_string(index));
  auto row = conn.QueryOne("SELECT data FROM log_entries WHERE idx = ?", {index});
  if (row.ok()) return row->Bytes(0);
  if (row.status().code() != StatusCode::kNotFound) return std::move(row).status();
  auto bundle = ReadStoredBundle(conn, index / kWidth);
  if (!bundle.ok()) {
    if (bundle.status().code() == StatusCode::kNotFound)
      return NotFoundError("no log entry " + std::to_string(index));
    return bundle.status();
  }
  return std::move((*bundle)[static_cast<size_t>(index % kWidth)]);
}

StatusOr<int64_t> CompactFullBundles(store::Conn& conn, int64_t size) {
  const int64_t full = size / kWidth;
  VT_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT DISTINCT idx / 256 FROM log_entries "
                                            "WHERE idx < ? ORDER BY 1",
                                            {full * kWidth}));
  int64_t moved = 0;
  for (const auto& r : rows) {
    const int64_t bundle = r.Int(0);
    VT_ASSIGN_OR_RETURN(auto entries, ReadLoose(conn, bundle * kWidth, (bundle + 1) * kWidth));
    VT_RETURN_IF_ERROR(WriteBundle(conn, bundle, entries));
    ++moved;
  }
  return moved;
}

}  // namespace vt::app::logstore
