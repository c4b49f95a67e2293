// tlog-witness add-checkpoint request bodies.
#include "tlog/witness_core.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  vt::tlog::ParseAddCheckpointRequest(in).status().IgnoreError();
  return 0;
}
