// Entry bundles fetched from a log: decode, re-encode, compare.
#include <cstdlib>

#include "tlog/tile_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  int width = data[0] % 257;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  auto entries = vt::tlog::DecodeEntryBundle(in, width);
  if (!entries.ok()) return 0;
  auto again = vt::tlog::EncodeEntryBundle(*entries);
  if (!again.ok() || *again != in) abort();
  return 0;
}
