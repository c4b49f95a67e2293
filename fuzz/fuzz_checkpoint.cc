// Checkpoint bodies: parse, format, compare.
#include <cstdlib>

#include "tlog/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto c = vt::tlog::ParseCheckpoint(in);
  if (!c.ok()) return 0;
  auto f = vt::tlog::FormatCheckpoint(*c);
  if (!f.ok() || *f != in) abort();
  return 0;
}
