#include "settlement/json_fields.h"

#include "base/encoding.h"

namespace vt::settlement::internal {

Status FieldError(std::string path, std::string message) {
  return InvalidArgumentError(std::move(message)).WithField(std::move(path));
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

StatusOr<int64_t> ReadInt(const Json& json, const std::string& path, int64_t min, int64_t max) {
  int64_t v;
  if (json.is_number_integer() && !json.is_number_unsigned()) {
    v = json.get<int64_t>();
  } else if (json.is_number_unsigned()) {
    uint64_t u = json.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX))
      return FieldError(path, "integer " + std::to_string(u) + " is out of range");
    v = static_cast<int64_t>(u);
  } else {
    return FieldError(path, "must be an integer");
  }
  if (v < min || v > max) {
    return FieldError(path, "integer " + std::to_string(v) + " is out of range [" +
                                std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return v;
}

StatusOr<std::string> ReadString(const Json& json, const std::string& path, size_t max_len) {
  if (!json.is_string()) return FieldError(path, "must be a string");
  const auto& s = json.get_ref<const std::string&>();
  if (s.empty()) return FieldError(path, "must not be empty");
  if (!IsValidUtf8(s)) return FieldError(path, "must be valid UTF-8");
  if (s.size() > max_len)
    return FieldError(path, "longer than " + std::to_string(max_len) + " bytes");
  return s;
}

StatusOr<ObjectReader> ObjectReader::Open(const Json& json, std::string path) {
  if (!json.is_object()) return FieldError(path.empty() ? "(document)" : path, "must be an object");
  return ObjectReader(&json, std::move(path));
}

const Json* ObjectReader::Find(std::string_view key) {
  known_.emplace(key);
  auto it = json_->find(std::string(key));
  return it == json_->end() ? nullptr : &*it;
}

bool ObjectReader::Has(std::string_view key) { return Find(key) != nullptr; }

StatusOr<std::string> ObjectReader::String(std::string_view key, size_t max_len) {
  const Json* j = Find(key);
  if (j == nullptr) return FieldError(Path(key), "is required");
  return ReadString(*j, Path(key), max_len);
}

StatusOr<std::optional<std::string>> ObjectReader::OptString(std::string_view key, size_t max_len) {
  const Json* j = Find(key);
  if (j == nullptr) return std::optional<std::string>();
  VT_ASSIGN_OR_RETURN(std::string s, ReadString(*j, Path(key), max_len));
  return std::optional<std::string>(std::move(s));
}

StatusOr<int64_t> ObjectReader::Int(std::string_view key, int64_t min, int64_t max) {
  const Json* j = Find(key);
  if (j == nullptr) return FieldError(Path(key), "is required");
  return ReadInt(*j, Path(key), min, max);
}

StatusOr<std::optional<int64_t>> ObjectReader::OptInt(std::string_view key, int64_t min,
                                                      int64_t max) {
  const Json* j = Find(key);
  if (j == nullptr) return std::optional<int64_t>();
  VT_ASSIGN_OR_RETURN(int64_t v, ReadInt(*j, Path(key), min, max));
  return std::optional<int64_t>(v);
}

StatusOr<const Json*> ObjectReader::OptArray(std::string_view key) {
  const Json* j = Find(key);
  if (j != nullptr && !j->is_array()) return FieldError(Path(key), "must be an array");
  return j;
}

StatusOr<const Json*> ObjectReader::Array(std::string_view key) {
  VT_ASSIGN_OR_RETURN(const Json* j, OptArray(key));
  if (j == nullptr) return FieldError(Path(key), "is required");
  return j;
}

StatusOr<const Json*> ObjectReader::OptObject(std::string_view key) {
  const Json* j = Find(key);
  if (j != nullptr && !j->is_object()) return FieldError(Path(key), "must be an object");
  return j;
}

StatusOr<const Json*> ObjectReader::Object(std::string_view key) {
  VT_ASSIGN_OR_RETURN(const Json* j, OptObject(key));
  if (j == nullptr) return FieldError(Path(key), "is required");
  return j;
}

Status ObjectReader::Finish() const {
  for (auto it = json_->begin(); it != json_->end(); ++it) {
    if (!known_.contains(it.key())) return FieldError(Path(it.key()), "unknown field");
  }
  return OkStatus();
}

}  // namespace vt::settlement::internal

namespace vt::settlement::internal {
namespace {
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool IsMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (!IsDigit(s[i])) return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  return month >= 1 && month <= 12;
}

bool IsTerritory(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

bool IsChannel(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '-')) return false;
  return true;
}

bool IsIdentifier(std::string_view s, size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '.' ||
              c == '_' || c == '@' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace vt::settlement::internal
