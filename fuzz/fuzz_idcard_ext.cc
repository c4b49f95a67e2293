// The ID-card certificate extension (x509/idcard_ext.h) from certificates
// presented by anyone: strict DER decoding; whatever decodes must re-encode to
// the same bytes (DER is canonical).
#include <cstdlib>

#include "x509/idcard_ext.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto ext = vt::x509::DecodeIdCardExtension(in);
  if (!ext.ok()) return 0;
  auto again = vt::x509::EncodeIdCardExtension(*ext);
  if (!again.ok() || *again != in) abort();
  return 0;
}
