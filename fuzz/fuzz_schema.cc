// Schema validation of arbitrary JSON against a representative route schema.
#include "api/schema.h"
#include "base/jcs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vt::Json schema = vt::api::ObjectSchema(
      {{"name", vt::api::StringSchema(1, 200)},
       {"kind", vt::api::StringSchema(0, 0, {"studio", "agency"})},
       {"ttl_seconds", vt::api::IntegerSchema(0, 1000)},
       {"tags", {{"type", "array"}, {"items", vt::api::StringSchema(1, 10)}, {"maxItems", 3}}}},
      {"name"});
  auto j = vt::ParseJsonStrict(std::string_view(reinterpret_cast<const char*>(data), size));
  if (j.ok()) vt::api::ValidateSchema(schema, *j).IgnoreError();
  return 0;
}
