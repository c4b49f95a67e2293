// C2SP tlog-proof files: parse, format, compare.
#include <cstdlib>

#include "tlog/tlog_proof.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto p = vt::tlog::ParseTlogProof(in);
  if (!p.ok()) return 0;
  auto f = vt::tlog::FormatTlogProof(*p);
  if (!f.ok()) return 0;
  if (!vt::tlog::ParseTlogProof(*f).ok()) abort();
  return 0;
}
