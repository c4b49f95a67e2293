// Request bodies: strict JSON parsing and canonicalization must never crash, and
// canonicalizing twice gives the same bytes.
#include <cstdlib>

#include "base/jcs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = vt::ParseJsonStrict(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!j.ok()) return 0;
  auto c = vt::Canonicalize(*j);
  if (!c.ok()) return 0;
  auto again = vt::ParseJsonStrict(*c);
  if (!again.ok() || *vt::Canonicalize(*again) != *c) abort();
  return 0;
}
