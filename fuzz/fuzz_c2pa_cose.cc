// COSE_Sign1 structures (claim signatures, CAWG identity signatures) and the
// CBOR decoder under them.
#include "c2pa/cbor_internal.h"
#include "c2pa/cose_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto item = vt::c2pa::cbor::Item::Decode(in);
  if (item.ok()) {
    vt::c2pa::cbor::View(item->get()).ToJson();
    item->Encode();
  }
  auto parsed = vt::c2pa::cose::Parse(in);
  if (parsed.ok()) vt::c2pa::cose::Verify(*parsed, "claim bytes").IgnoreError();
  return 0;
}
