#include "tlog/tile_path.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tlog/tile.h"

namespace vt::tlog {
namespace {

TEST(TilePath, Formats) {
  EXPECT_EQ(TileIndexPath(0), "000");
  EXPECT_EQ(TileIndexPath(67), "067");
  EXPECT_EQ(TileIndexPath(1000), "x001/000");
  EXPECT_EQ(TileIndexPath(1234067), "x001/x234/067");
  EXPECT_EQ(TilePath(0, 1234067, 5), "tile/0/x001/x234/067.p/5");
  EXPECT_EQ(TilePath(1, 0, 256), "tile/1/000");
  EXPECT_EQ(EntriesPath(273, 112), "tile/entries/273.p/112");
  EXPECT_EQ(EntriesPath(1234067, 256), "tile/entries/x001/x234/067");
}

TEST(TilePath, PartialWidths) {
  EXPECT_EQ(PartialWidth(0, 70000), 112);
  EXPECT_EQ(PartialWidth(1, 70000), 17);
  EXPECT_EQ(PartialWidth(2, 70000), 1);
  EXPECT_EQ(PartialWidth(3, 70000), 0);
  EXPECT_EQ(PartialWidth(0, 256), 0);
  EXPECT_EQ(PartialWidth(1, 256), 1);
}

std::vector<std::string> Paths(int64_t size, bool with_entries) {
  std::vector<std::string> out;
  for (const TileCoord& c : TilesForSize(size, with_entries)) out.push_back(PathOf(c));
  return out;
}

TEST(TilePath, TilesForSize70000MatchesTheSpecExample) {
  std::vector<std::string> paths = Paths(70000, false);
  // 273 full + 1 partial level-0, 1 full + 1 partial level-1, 1 partial level-2.
  ASSERT_EQ(paths.size(), 274u + 2u + 1u);
  EXPECT_EQ(paths[0], "tile/0/000");
  EXPECT_EQ(paths[272], "tile/0/272");
  EXPECT_EQ(paths[273], "tile/0/273.p/112");
  EXPECT_EQ(paths[274], "tile/1/000");
  EXPECT_EQ(paths[275], "tile/1/001.p/17");
  EXPECT_EQ(paths[276], "tile/2/000.p/1");
  std::vector<std::string> with_entries = Paths(70000, true);
  ASSERT_EQ(with_entries.size(), 274u + 277u);
  EXPECT_EQ(with_entries[273], "tile/entries/273.p/112");
  EXPECT_EQ(with_entries[274], "tile/0/000");
  // The spec: size 256 is a full level-0 tile and a level-1 tile of width 1.
  EXPECT_EQ(Paths(256, false), (std::vector<std::string>{"tile/0/000", "tile/1/000.p/1"}));
  EXPECT_TRUE(Paths(0, true).empty());
}

TEST(TilePath, ParseRoundTrips) {
  for (std::string p :
       {"tile/0/000", "tile/0/x001/x234/067.p/5", "tile/63/999", "tile/entries/273.p/112",
        "tile/entries/x001/000", "tile/2/000.p/1", "tile/0/001.p/255"}) {
    StatusOr<TileCoord> c = ParseTilePath(p);
    ASSERT_TRUE(c.ok()) << p << ": " << c.status().ToString();
    EXPECT_EQ(PathOf(*c), p);
  }
  TileCoord c = *ParseTilePath("tile/0/x001/x234/067.p/5");
  EXPECT_EQ(c, (TileCoord{0, 1234067, 5}));
  EXPECT_TRUE(ParseTilePath("tile/entries/005")->entries());
}

TEST(TilePath, ParseRejectsNonCanonical) {
  for (std::string p : {"",
                        "tile",
                        "tile/0",
                        "tiles/0/000",
                        "tile/0/0",
                        "tile/0/0000",
                        "tile/0/x000/001",
                        "tile/0/001/002",
                        "tile/0/x01/002",
                        "tile/00/000",
                        "tile/64/000",
                        "tile/-1/000",
                        "tile/0/000.p/0",
                        "tile/0/000.p/256",
                        "tile/0/000.p/05",
                        "tile/0/000.p/",
                        "tile/0/000.p",
                        "tile/0/000/",
                        "/tile/0/000",
                        "tile/0/000.p/5/6",
                        "tile/entry/000",
                        "tile/0/x001",
                        "tile/0/abc",
                        "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
                        "tile/0/000.q/5"}) {
    EXPECT_FALSE(ParseTilePath(p).ok()) << p;
  }
}

TEST(EntryBundle, RoundTripAndStrictDecode) {
  std::vector<std::string> entries = {"", "a", std::string(300, 'z'), std::string(65535, 'm')};
  std::string bundle = *EncodeEntryBundle(entries);
  EXPECT_EQ(bundle.substr(0, 5), std::string("\0\0\0\x01"
                                             "a",
                                             5));
  EXPECT_EQ(*DecodeEntryBundle(bundle, 4), entries);
  EXPECT_FALSE(DecodeEntryBundle(bundle, 3).ok());  // trailing entry
  EXPECT_FALSE(DecodeEntryBundle(bundle, 5).ok());  // too few
  EXPECT_FALSE(DecodeEntryBundle(bundle.substr(0, bundle.size() - 1), 4).ok());
  EXPECT_FALSE(DecodeEntryBundle(bundle + std::string(1, '\0'), 4).ok());
  EXPECT_FALSE(DecodeEntryBundle("", 0).ok());
  EXPECT_FALSE(DecodeEntryBundle("", 257).ok());
  EXPECT_FALSE(EncodeEntryBundle(std::vector<std::string>{std::string(65536, 'x')}).ok());
  EXPECT_FALSE(EncodeEntryBundle(std::vector<std::string>(257, "e")).ok());
  EXPECT_EQ(DecodeEntryBundle(*EncodeEntryBundle(std::vector<std::string>(256, "e")), 256)->size(),
            256u);
}

}  // namespace
}  // namespace vt::tlog
