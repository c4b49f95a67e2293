#include "tlog/log_verify.h"

#include <utility>
#include <vector>

#include "base/jcs.h"
#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/tile_path.h"

namespace vt::tlog {
namespace {

Status Mismatch(const std::string& resource, int level, int64_t tile, int i,
                const std::string& what) {
  const int64_t span = int64_t{1} << (kTileHeight * level);
  const int64_t first = (tile * kTileWidth + i) * span, last = first + span - 1;
  const std::string leaves = level == 0
                                 ? "leaf " + std::to_string(first)
                                 : "leaves " + std::to_string(first) + ".." + std::to_string(last);
  Json details = {
      {"resource", resource}, {"hash_index", i}, {"first_leaf", first}, {"last_leaf", last}};
  return DataLossError(resource + ": hash " + std::to_string(i) + " (" + leaves + ") " + what)
      .WithDetails(details.dump());
}

// Compares the served tile with the recomputed one; counts the check.
Status CheckTile(TileReader* tiles, int level, int64_t index, const std::string& want,
                 LogAuditReport* report) {
  if (tiles == nullptr) return OkStatus();
  const int width = static_cast<int>(want.size() / kHashSize);
  const std::string path = TilePath(level, index, width);
  StatusOr<std::string> got = tiles->ReadTile(level, index, width);
  if (!got.ok()) return std::move(got).status().Annotate(path);
  if (got->size() != want.size()) {
    return DataLossError(path + ": " + std::to_string(got->size()) + " bytes, want " +
                         std::to_string(want.size()))
        .WithDetails(Json({{"resource", path}}).dump());
  }
  ++report->tiles_checked;
  for (int i = 0; i < width; ++i) {
    const Hash served = TileHashAt(*got, i), computed = TileHashAt(want, i);
    if (served != computed) {
      const std::string source = level == 0 ? "entry bundle gives " : "recomputed from below: ";
      return Mismatch(path, level, index, i,
                      "is " + HashToBase64(served) + ", " + source + HashToBase64(computed));
    }
  }
  return OkStatus();
}

// Level 0: hashes each bundle into a tile; returns the level-1 hashes.
StatusOr<std::vector<Hash>> AuditLevel0(int64_t size, TileReader* tiles, EntryBundleReader& bundles,
                                        const EntryVisitor& visit, MemoryTileStore* edge,
                                        LogAuditReport* report) {
  std::vector<Hash> up;
  for (int64_t t = 0; t * kTileWidth < size; ++t) {
    const int width = TileWidthAt(0, t, size);
    const std::string path = EntriesPath(t, width);
    StatusOr<std::string> bundle = bundles.ReadEntryBundle(t, width);
    if (!bundle.ok()) return std::move(bundle).status().Annotate(path);
    StatusOr<std::vector<std::string>> entries = DecodeEntryBundle(*bundle, width);
    if (!entries.ok()) {
      return DataLossError(path + ": " + entries.status().message())
          .WithDetails(Json({{"resource", path}}).dump());
    }
    ++report->bundles;
    std::string tile;
    for (const std::string& e : *entries) AppendHash(&tile, LeafHash(e));
    VT_RETURN_IF_ERROR(CheckTile(tiles, 0, t, tile, report));
    for (int i = 0; visit && i < width; ++i)
      VT_RETURN_IF_ERROR(visit(t * kTileWidth + i, (*entries)[i]));
    report->entries += width;
    if (width == kTileWidth) {
      up.push_back(*FullTileHash(tile));
    } else {
      edge->Put({0, t, width, std::move(tile)});
    }
  }
  return up;
}

// Level >= 1: checks the tiles of `level` holding `hashes`; returns the next level.
StatusOr<std::vector<Hash>> AuditLevel(int level, const std::vector<Hash>& hashes,
                                       TileReader* tiles, MemoryTileStore* edge,
                                       LogAuditReport* report) {
  std::vector<Hash> up;
  for (size_t start = 0, t = 0; start < hashes.size(); start += kTileWidth, ++t) {
    std::string tile;
    for (size_t i = start; i < hashes.size() && i < start + kTileWidth; ++i) {
      AppendHash(&tile, hashes[i]);
    }
    VT_RETURN_IF_ERROR(CheckTile(tiles, level, static_cast<int64_t>(t), tile, report));
    if (tile.size() == kFullTileBytes) {
      up.push_back(*FullTileHash(tile));
    } else {
      const int width = static_cast<int>(tile.size() / kHashSize);
      edge->Put({level, static_cast<int64_t>(t), width, std::move(tile)});
    }
  }
  return up;
}

}  // namespace

StatusOr<LogAuditReport> AuditLog(const Checkpoint& checkpoint, TileReader* tiles,
                                  EntryBundleReader& bundles, const EntryVisitor& visit) {
  LogAuditReport report;
  const int64_t size = checkpoint.size;
  if (size < 0) return InvalidArgumentError("negative checkpoint size");
  MemoryTileStore edge;  // the recomputed partial tiles: all the root needs
  VT_ASSIGN_OR_RETURN(std::vector<Hash> level_hashes,
                      AuditLevel0(size, tiles, bundles, visit, &edge, &report));
  for (int level = 1; !level_hashes.empty(); ++level) {
    VT_ASSIGN_OR_RETURN(level_hashes, AuditLevel(level, level_hashes, tiles, &edge, &report));
  }
  // Full tiles of the right edge are not in `edge`, but the root only reads
  // the partial tile of each level (merkle.h).
  VT_ASSIGN_OR_RETURN(Hash root, TreeRoot(size, edge));
  if (root != checkpoint.root) {
    return DataLossError("root: entries give " + HashToBase64(root) + ", checkpoint says " +
                         HashToBase64(checkpoint.root))
        .WithDetails(Json({{"resource", "checkpoint"}}).dump());
  }
  return report;
}

}  // namespace vt::tlog
