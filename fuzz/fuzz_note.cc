// Signed notes: parse, format, parse again.
#include <cstdlib>

#include "tlog/note.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto n = vt::tlog::ParseNote(in);
  if (!n.ok()) return 0;
  auto f = vt::tlog::FormatNote(*n);
  if (!f.ok()) abort();
  auto again = vt::tlog::ParseNote(*f);
  if (!again.ok() || again->text != n->text) abort();
  return 0;
}
