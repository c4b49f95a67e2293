#include "tlog/tile_path.h"

#include <cstdio>
#include <cstdlib>

#include "tlog/tile.h"

namespace vt::tlog {
namespace {

std::string Group(int64_t v) {
  char buf[4];
  std::snprintf(buf, sizeof(buf), "%03d", static_cast<int>(v));
  return buf;
}

std::string Suffix(int width) { return width == kTileWidth ? "" : ".p/" + std::to_string(width); }

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// No tree of int64 size has more than 2^55 tiles at any level.
constexpr int64_t kMaxTileIndex = int64_t{1} << 55;

// Parses 1..3 ASCII digits; -1 if anything else.
int64_t SmallNumber(std::string_view s) {
  if (s.empty() || s.size() > 3) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::string TileIndexPath(int64_t index) {
  if (index < 0) std::abort();
  std::string out = Group(index % 1000);
  for (index /= 1000; index > 0; index /= 1000) out = "x" + Group(index % 1000) + "/" + out;
  return out;
}

std::string TilePath(int level, int64_t index, int width) {
  if (level < 0 || level > kMaxTileLevel || width < 1 || width > kTileWidth) std::abort();
  return "tile/" + std::to_string(level) + "/" + TileIndexPath(index) + Suffix(width);
}

std::string EntriesPath(int64_t index, int width) {
  if (width < 1 || width > kTileWidth) std::abort();
  return "tile/entries/" + TileIndexPath(index) + Suffix(width);
}

std::string PathOf(const TileCoord& c) {
  return c.entries() ? EntriesPath(c.index, c.width) : TilePath(c.level, c.index, c.width);
}

StatusOr<TileCoord> ParseTilePath(std::string_view path) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError("tile path \"" + std::string(path) + "\": " + std::string(why));
  };
  std::vector<std::string_view> parts = Split(path);
  if (parts.size() < 3 || parts[0] != "tile") return bad("not tile/<L>/<N>");
  TileCoord c;
  if (parts[1] == "entries") {
    c.level = kEntriesLevel;
  } else {
    int64_t level = SmallNumber(parts[1]);
    if (level < 0 || level > kMaxTileLevel) return bad("level must be 0..63");
    c.level = static_cast<int>(level);
  }
  size_t end = parts.size();
  if (end >= 4 && parts[end - 2].ends_with(".p")) {
    int64_t w = SmallNumber(parts[end - 1]);
    if (w < 1 || w >= kTileWidth) return bad("partial width must be 1..255");
    c.width = static_cast<int>(w);
    parts[end - 2].remove_suffix(2);
    --end;
  }
  c.index = 0;
  for (size_t i = 2; i < end; ++i) {
    std::string_view g = parts[i];
    if (i + 1 < end) {
      if (!g.starts_with("x")) return bad("index groups but the last must start with x");
      g.remove_prefix(1);
    }
    if (g.size() != 3 || SmallNumber(g) < 0) return bad("index groups must be 3 digits");
    if (c.index > kMaxTileIndex / 1000) return bad("tile index too large");
    c.index = c.index * 1000 + SmallNumber(g);
  }
  if (c.index > kMaxTileIndex) return bad("tile index too large");
  if (PathOf(c) != path) return bad("not in canonical form");
  return c;
}

std::vector<TileCoord> TilesForSize(int64_t size, bool with_entries) {
  std::vector<TileCoord> out;
  for (int level = with_entries ? kEntriesLevel : 0; level <= kMaxTileLevel; ++level) {
    const int64_t count = LevelCount(level < 0 ? 0 : level, size);
    if (count == 0) break;
    for (int64_t i = 0; i * kTileWidth < count; ++i) {
      out.push_back({level, i, TileWidthAt(level < 0 ? 0 : level, i, size)});
    }
  }
  return out;
}

StatusOr<std::string> EncodeEntryBundle(std::span<const std::string> entries) {
  if (entries.size() > static_cast<size_t>(kTileWidth)) {
    return InvalidArgumentError("entry bundle: more than 256 entries");
  }
  std::string out;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& e = entries[i];
    if (e.size() > kMaxEntrySize) {
      return InvalidArgumentError("entry bundle: entry " + std::to_string(i) + " is " +
                                  std::to_string(e.size()) + " bytes, max 65535");
    }
    out.push_back(static_cast<char>(e.size() >> 8));
    out.push_back(static_cast<char>(e.size() & 0xff));
    out.append(e);
  }
  return out;
}

StatusOr<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle, int width) {
  if (width < 1 || width > kTileWidth) {
    return InvalidArgumentError("entry bundle: width must be 1..256");
  }
  std::vector<std::string> entries;
  size_t off = 0;
  while (off < bundle.size()) {
    if (static_cast<int>(entries.size()) == width) {
      return InvalidArgumentError("entry bundle: trailing data at offset " + std::to_string(off) +
                                  " after " + std::to_string(width) + " entries");
    }
    if (bundle.size() - off < 2) {
      return InvalidArgumentError("entry bundle: truncated length at offset " +
                                  std::to_string(off));
    }
    const size_t len = (uint8_t(bundle[off]) << 8) | uint8_t(bundle[off + 1]);
    off += 2;
    if (bundle.size() - off < len) {
      return InvalidArgumentError("entry bundle: entry " + std::to_string(entries.size()) +
                                  " truncated at offset " + std::to_string(off));
    }
    entries.emplace_back(bundle.substr(off, len));
    off += len;
  }
  if (static_cast<int>(entries.size()) != width) {
    return InvalidArgumentError("entry bundle: " + std::to_string(entries.size()) +
                                " entries, want " + std::to_string(width));
  }
  return entries;
}

}  // namespace vt::tlog
