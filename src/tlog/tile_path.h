// Resource paths and entry bundles of c2sp.org/tlog-tiles ("Merkle Tree" and
// "Log entries" sections). Paths are relative to the log prefix:
//   tile/<L>/<N>[.p/<W>]        hash tiles, L in 0..63
//   tile/entries/<N>[.p/<W>]    entry bundles
// N is written in zero-padded 3-digit groups, all but the last prefixed with
// "x" (1234067 -> x001/x234/067); W in 1..255 only for partial tiles.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vt::tlog {

inline constexpr int kEntriesLevel = -1;        // TileCoord::level of an entry bundle
inline constexpr size_t kMaxEntrySize = 65535;  // uint16 length prefix

// One servable resource: a hash tile (level >= 0) or an entry bundle
// (level == kEntriesLevel) with its width (256 = full).
struct TileCoord {
  int level = 0;
  int64_t index = 0;
  int width = 256;
  bool entries() const { return level == kEntriesLevel; }
  bool operator==(const TileCoord&) const = default;
};

// "x001/x234/067" for 1234067. Precondition: index >= 0.
std::string TileIndexPath(int64_t index);
// "tile/<level>/<N>" or "tile/<level>/<N>.p/<width>" for width < 256.
// Preconditions: 0 <= level <= 63, 1 <= width <= 256.
std::string TilePath(int level, int64_t index, int width);
// "tile/entries/<N>[.p/<W>]".
std::string EntriesPath(int64_t index, int width);
// TilePath or EntriesPath depending on coord.level.
std::string PathOf(const TileCoord& coord);

// Parses a path produced by TilePath/EntriesPath (without the prefix or a
// leading slash). Strict: the path must be in canonical form (no extra
// leading zeroes, no empty or superfluous groups, width 1..255 written without
// leading zeroes, level 0..63). InvalidArgument otherwise.
StatusOr<TileCoord> ParseTilePath(std::string_view path);

// Every hash tile (levels 0 and up, at their widths for this size) that a log
// of `size` leaves serves, plus the entry bundles if `with_entries`: full
// tiles and the partial tile of each level. Ordered by level (entries first),
// then index. Empty for size 0.
std::vector<TileCoord> TilesForSize(int64_t size, bool with_entries);

// An entry bundle: for each entry, uint16 big-endian length || entry.
// InvalidArgument if there are more than 256 entries or an entry exceeds
// 65535 bytes.
StatusOr<std::string> EncodeEntryBundle(std::span<const std::string> entries);
// Decodes a bundle that must hold exactly `width` entries (1..256) and nothing
// after them. InvalidArgument (with the offset) on truncation, trailing bytes,
// or a wrong count.
StatusOr<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle, int width);

}  // namespace vt::tlog
