// Tile paths from URLs: parsing then formatting must round-trip exactly.
#include <cstdlib>

#include "tlog/tile_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto c = vt::tlog::ParseTilePath(in);
  if (c.ok() && vt::tlog::PathOf(*c) != in) abort();
  return 0;
}
