// Read access to decoded libcbor items, and JSON conversion for the
// caller-filled com.vtrust.registry map and for reports.
#include <cbor.h>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "c2pa/cbor_internal.h"

namespace vt::c2pa::cbor {
namespace {

Status WrongType(std::string_view what, std::string_view want) {
  return InvalidArgumentError(std::string(what) + ": expected " + std::string(want));
}

std::string StringBytes(const cbor_item_t* p) {
  return std::string(reinterpret_cast<const char*>(p->data),
                     p->metadata.bytestring_metadata.length);
}

nlohmann::json ToJsonValue(const cbor_item_t* p) {
  switch (cbor_typeof(p)) {
    case CBOR_TYPE_UINT:
      return cbor_get_int(p);
    case CBOR_TYPE_NEGINT:
      return -1 - static_cast<int64_t>(cbor_get_int(p));
    case CBOR_TYPE_BYTESTRING:
      return Base64Encode(StringBytes(p));
    case CBOR_TYPE_STRING:
      return StringBytes(p);
    case CBOR_TYPE_ARRAY: {
      nlohmann::json a = nlohmann::json::array();
      for (size_t i = 0; i < cbor_array_size(p); ++i)
        a.push_back(ToJsonValue(cbor_array_handle(p)[i]));
      return a;
    }
    case CBOR_TYPE_MAP: {
      nlohmann::json o = nlohmann::json::object();
      cbor_pair* pairs = cbor_map_handle(p);
      for (size_t i = 0; i < cbor_map_size(p); ++i) {
        nlohmann::json k = ToJsonValue(pairs[i].key);
        o[k.is_string() ? k.get<std::string>() : k.dump()] = ToJsonValue(pairs[i].value);
      }
      return o;
    }
    case CBOR_TYPE_TAG:
      return ToJsonValue(p->metadata.tag_metadata.tagged_item);
    case CBOR_TYPE_FLOAT_CTRL:
      // libcbor asserts if ctrl accessors see a float, so test the width first.
      if (!cbor_float_ctrl_is_ctrl(p)) return cbor_float_get_float(p);
      if (cbor_ctrl_value(p) == CBOR_CTRL_TRUE) return true;
      if (cbor_ctrl_value(p) == CBOR_CTRL_FALSE) return false;
      return nullptr;
  }
  return nullptr;
}

Item FromJsonValue(const nlohmann::json& j) {
  if (j.is_object()) {
    std::vector<std::pair<std::string, Item>> m;
    for (const auto& [k, v] : j.items()) m.emplace_back(k, FromJsonValue(v));
    return Item::TextMap(std::move(m));
  }
  if (j.is_array()) {
    std::vector<Item> a;
    for (const auto& v : j) a.push_back(FromJsonValue(v));
    return Item::Array(std::move(a));
  }
  if (j.is_string()) return Item::Text(j.get<std::string>());
  if (j.is_boolean()) return Item::Bool(j.get<bool>());
  if (j.is_number_unsigned()) return Item::Uint(j.get<uint64_t>());
  if (j.is_number_integer()) return Item::Int(j.get<int64_t>());
  if (j.is_number_float()) return Item::Double(j.get<double>());
  return Item::Null();
}

}  // namespace

bool View::is_map() const { return p_ && cbor_isa_map(p_); }
bool View::is_array() const { return p_ && cbor_isa_array(p_); }
bool View::is_text() const { return p_ && cbor_isa_string(p_) && cbor_string_is_definite(p_); }
bool View::is_bytes() const {
  return p_ && cbor_isa_bytestring(p_) && cbor_bytestring_is_definite(p_);
}
bool View::is_null() const {
  return p_ && cbor_isa_float_ctrl(p_) && cbor_float_ctrl_is_ctrl(p_) &&
         cbor_ctrl_value(p_) == CBOR_CTRL_NULL;
}

View View::Get(std::string_view key) const {
  if (!is_map()) return View();
  cbor_pair* pairs = cbor_map_handle(p_);
  for (size_t i = 0; i < cbor_map_size(p_); ++i) {
    View k(pairs[i].key);
    if (k.is_text() && StringBytes(pairs[i].key) == key) return View(pairs[i].value);
  }
  return View();
}

View View::GetInt(int64_t key) const {
  if (!is_map()) return View();
  cbor_pair* pairs = cbor_map_handle(p_);
  for (size_t i = 0; i < cbor_map_size(p_); ++i) {
    auto k = View(pairs[i].key).Int("key");
    if (k.ok() && *k == key) return View(pairs[i].value);
  }
  return View();
}

size_t View::size() const {
  if (is_array()) return cbor_array_size(p_);
  if (is_map()) return cbor_map_size(p_);
  return 0;
}
View View::At(size_t i) const { return View(cbor_array_handle(p_)[i]); }
View View::KeyAt(size_t i) const { return View(cbor_map_handle(p_)[i].key); }
View View::ValueAt(size_t i) const { return View(cbor_map_handle(p_)[i].value); }

StatusOr<std::string> View::Text(std::string_view what) const {
  if (!is_text()) return WrongType(what, "text string");
  return StringBytes(p_);
}
StatusOr<std::string> View::Bytes(std::string_view what) const {
  if (!is_bytes()) return WrongType(what, "byte string");
  return StringBytes(p_);
}
StatusOr<uint64_t> View::Uint(std::string_view what) const {
  if (!p_ || !cbor_isa_uint(p_)) return WrongType(what, "unsigned integer");
  return cbor_get_int(p_);
}
StatusOr<int64_t> View::Int(std::string_view what) const {
  if (p_ && cbor_isa_uint(p_) && cbor_get_int(p_) <= INT64_MAX) {
    return static_cast<int64_t>(cbor_get_int(p_));
  }
  if (p_ && cbor_isa_negint(p_) && cbor_get_int(p_) <= INT64_MAX) {
    return -1 - static_cast<int64_t>(cbor_get_int(p_));
  }
  return WrongType(what, "integer");
}
int64_t View::tag() const {
  return p_ && cbor_isa_tag(p_) ? static_cast<int64_t>(cbor_tag_value(p_)) : -1;
}
View View::Tagged() const {
  return p_ && cbor_isa_tag(p_) ? View(p_->metadata.tag_metadata.tagged_item) : View();
}

std::string View::Encode() const {
  unsigned char* buf = nullptr;
  size_t cap = 0;
  size_t len = cbor_serialize_alloc(p_, &buf, &cap);
  std::string out(reinterpret_cast<char*>(buf), len);
  free(buf);
  return out;
}

std::string View::ToJson() const { return p_ ? ToJsonValue(p_).dump() : "null"; }

StatusOr<Item> FromJson(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgumentError("registry map is not valid JSON");
  return FromJsonValue(j);
}

}  // namespace vt::c2pa::cbor
