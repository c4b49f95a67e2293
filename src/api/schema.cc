#include "api/schema.h"

namespace vt::api {
namespace {

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

Status Fail(const std::string& path, const std::string& msg) {
  return InvalidArgumentError((path.empty() ? std::string("body") : "'" + path + "'") + " " + msg)
      .WithField(path.empty() ? "body" : path);
}

Status Validate(const Json& schema, const Json& v, const std::string& path) {
  std::string type = schema.value("type", "");
  if (type == "object") {
    if (!v.is_object()) return Fail(path, "must be a JSON object");
    const Json& props = schema.contains("properties") ? schema["properties"] : Json::object();
    for (const auto& req : schema.value("required", Json::array()))
      if (!v.contains(req.get<std::string>()))
        return Fail(Join(path, req.get<std::string>()), "is required");
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!props.contains(it.key())) {
        if (schema.value("additionalProperties", true) == false)
          return Fail(Join(path, it.key()), "is not a known field");
        continue;
      }
      VT_RETURN_IF_ERROR(Validate(props[it.key()], it.value(), Join(path, it.key())));
    }
    return OkStatus();
  }
  if (type == "array") {
    if (!v.is_array()) return Fail(path, "must be an array");
    if (schema.contains("minItems") && v.size() < schema["minItems"].get<size_t>())
      return Fail(path, "needs at least " + schema["minItems"].dump() + " items");
    if (schema.contains("maxItems") && v.size() > schema["maxItems"].get<size_t>())
      return Fail(path, "allows at most " + schema["maxItems"].dump() + " items");
    if (schema.contains("items"))
      for (size_t i = 0; i < v.size(); ++i)
        VT_RETURN_IF_ERROR(Validate(schema["items"], v[i], path + "[" + std::to_string(i) + "]"));
    return OkStatus();
  }
  if (type == "string") {
    if (!v.is_string()) return Fail(path, "must be a string");
    size_t len = Utf8Length(v.get<std::string>());
    if (schema.contains("minLength") && len < schema["minLength"].get<size_t>())
      return Fail(path, "must be at least " + schema["minLength"].dump() + " characters");
    if (schema.contains("maxLength") && len > schema["maxLength"].get<size_t>())
      return Fail(path, "must be at most " + schema["maxLength"].dump() + " characters");
  } else if (type == "integer") {
    if (!v.is_number_integer()) return Fail(path, "must be an integer");
    if (schema.contains("minimum") && v.get<int64_t>() < schema["minimum"].get<int64_t>())
      return Fail(path, "must be >= " + schema["minimum"].dump());
    if (schema.contains("maximum")) {
      bool over = v.is_number_unsigned()
                      ? v.get<uint64_t>() > static_cast<uint64_t>(schema["maximum"].get<int64_t>())
                      : v.get<int64_t>() > schema["maximum"].get<int64_t>();
      if (over) return Fail(path, "must be <= " + schema["maximum"].dump());
    }
  } else if (type == "number") {
    if (!v.is_number()) return Fail(path, "must be a number");
  } else if (type == "boolean") {
    if (!v.is_boolean()) return Fail(path, "must be true or false");
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& e : schema["enum"]) found = found || e == v;
    if (!found) return Fail(path, "must be one of " + schema["enum"].dump());
  }
  return OkStatus();
}

}  // namespace

Status ValidateSchema(const Json& schema, const Json& value) { return Validate(schema, value, ""); }

Json ObjectSchema(Json properties, std::vector<std::string> required) {
  Json s = {
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

Json StringSchema(int min_len, int max_len, std::vector<std::string> enum_values) {
  Json s = {{"type", "string"}};
  if (min_len > 0) s["minLength"] = min_len;
  if (max_len > 0) s["maxLength"] = max_len;
  if (!enum_values.empty()) s["enum"] = enum_values;
  return s;
}

Json IntegerSchema(std::optional<int64_t> min, std::optional<int64_t> max) {
  Json s = {{"type", "integer"}};
  if (min) s["minimum"] = *min;
  if (max) s["maximum"] = *max;
  return s;
}

}  // namespace vt::api
