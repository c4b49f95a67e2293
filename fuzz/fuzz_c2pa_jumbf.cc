// C2PA manifest stores (JUMBF + CBOR claims + assertions) from untrusted
// sidecars: the JUMBF parser, then the whole verifier over a fixed asset.
#include <sstream>

#include "c2pa/c2pa.h"
#include "c2pa/jumbf_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  vt::c2pa::jumbf::ParseSuperBox(in).status().IgnoreError();
  std::istringstream asset("fixed asset bytes");
  vt::c2pa::VerifyOptions options;
  vt::c2pa::Verify(vt::c2pa::Container::kSidecar, asset, in, options).status().IgnoreError();
  return 0;
}
