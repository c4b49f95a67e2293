// Verifier keys given on the command line or in configs.
#include "tlog/note_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  vt::tlog::ParseVerifierKey(in).status().IgnoreError();
  return 0;
}
