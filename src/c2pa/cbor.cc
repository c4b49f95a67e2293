// libcbor behind cbor_internal.h. Deterministic encoding: RFC 8949 §4.2.1.
#include <cbor.h>

#include <algorithm>
#include <cstring>

#include "c2pa/cbor_internal.h"

namespace vt::c2pa::cbor {
namespace {

cbor_item_t* Checked(cbor_item_t* p) {
  if (p == nullptr) std::abort();  // libcbor allocation failure
  return p;
}

// libcbor's containers take their own reference on push/add (the [incref]
// contracts of cbor_array_push, cbor_map_add and cbor_build_tag).
cbor_item_t* Raw(const Item& item) { return const_cast<cbor_item_t*>(item.get()); }

std::string Serialize(const cbor_item_t* item) {
  unsigned char* buf = nullptr;
  size_t cap = 0;
  size_t len = cbor_serialize_alloc(item, &buf, &cap);
  if (len == 0) std::abort();  // only allocation failure can get here
  std::string out(reinterpret_cast<char*>(buf), len);
  free(buf);
  return out;
}

// Sorts every map below `item` by the encoded bytes of its keys (§4.2.1).
void Canonicalize(cbor_item_t* item) {
  switch (cbor_typeof(item)) {
    case CBOR_TYPE_ARRAY:
      for (size_t i = 0; i < cbor_array_size(item); ++i) Canonicalize(cbor_array_handle(item)[i]);
      break;
    case CBOR_TYPE_MAP: {
      cbor_pair* pairs = cbor_map_handle(item);
      size_t n = cbor_map_size(item);
      for (size_t i = 0; i < n; ++i) {
        Canonicalize(pairs[i].key);
        Canonicalize(pairs[i].value);
      }
      std::sort(pairs, pairs + n, [](const cbor_pair& a, const cbor_pair& b) {
        return Serialize(a.key) < Serialize(b.key);
      });
      break;
    }
    case CBOR_TYPE_TAG: {
      cbor_item_t* inner = cbor_tag_item(item);  // returns a new reference
      Canonicalize(inner);
      cbor_decref(&inner);
      break;
    }
    default:
      break;
  }
}

// Structure pre-check with libcbor's streaming decoder, before cbor_load
// builds (and later frees, recursively) the tree: nesting depth, declared
// lengths bounded by the input, exactly one item. Indefinite lengths are
// accepted for reading (c2pa-rs writes indefinite maps); Encode never makes them.
constexpr uint64_t kIndefinite = UINT64_MAX;

struct Shape {
  std::vector<uint64_t> open;  // items still expected per open container
  size_t input_size = 0;
  bool bad = false;
  bool done = false;
};

// Closes finished containers, innermost first.
void Settle(Shape* s) {
  while (!s->open.empty() && s->open.back() == 0) s->open.pop_back();
  if (s->open.empty()) s->done = true;
}

// One item (a leaf, or a container now starting) takes a slot of its parent.
void TakeSlot(Shape* s) {
  if (s->done) s->bad = true;  // a second top-level item
  if (!s->open.empty() && s->open.back() != kIndefinite) --s->open.back();
}

void Consume(Shape* s) {
  TakeSlot(s);
  Settle(s);
}

// A container of `n` items keeps its parent open until its own items are
// read, so the stack depth is the nesting depth.
void Open(Shape* s, uint64_t n) {
  if (n != kIndefinite && n > s->input_size) s->bad = true;
  if (n == 0) return Consume(s);
  TakeSlot(s);
  s->open.push_back(n);
  if (s->open.size() > static_cast<size_t>(Item::kMaxDepth)) s->bad = true;
}

template <typename T>
void OnValue(void* ctx, T) {
  Consume(static_cast<Shape*>(ctx));
}
void OnSimple(void* ctx) { Consume(static_cast<Shape*>(ctx)); }
void OnString(void* ctx, cbor_data, size_t) { Consume(static_cast<Shape*>(ctx)); }
void OnIndefinite(void* ctx) { Open(static_cast<Shape*>(ctx), kIndefinite); }
void OnBreak(void* ctx) {
  auto* s = static_cast<Shape*>(ctx);
  if (s->open.empty() || s->open.back() != kIndefinite) {
    s->bad = true;
    return;
  }
  s->open.back() = 0;
  Settle(s);
}
void OnArray(void* ctx, size_t n) { Open(static_cast<Shape*>(ctx), n); }
void OnMap(void* ctx, size_t n) { Open(static_cast<Shape*>(ctx), 2 * static_cast<uint64_t>(n)); }
void OnTag(void* ctx, uint64_t) { Open(static_cast<Shape*>(ctx), 1); }

Status CheckShape(std::string_view bytes) {
  cbor_callbacks cb = cbor_empty_callbacks;
  cb.uint8 = cb.negint8 = OnValue<uint8_t>;
  cb.uint16 = cb.negint16 = OnValue<uint16_t>;
  cb.uint32 = cb.negint32 = OnValue<uint32_t>;
  cb.uint64 = cb.negint64 = OnValue<uint64_t>;
  cb.byte_string = cb.string = OnString;
  cb.float2 = cb.float4 = OnValue<float>;
  cb.float8 = OnValue<double>;
  cb.boolean = OnValue<bool>;
  cb.null = cb.undefined = OnSimple;
  cb.byte_string_start = cb.string_start = cb.indef_array_start = cb.indef_map_start = OnIndefinite;
  cb.indef_break = OnBreak;
  cb.array_start = OnArray;
  cb.map_start = OnMap;
  cb.tag = OnTag;
  Shape shape;
  shape.input_size = bytes.size();
  size_t pos = 0;
  const auto* data = reinterpret_cast<cbor_data>(bytes.data());
  while (pos < bytes.size() && !shape.bad && !shape.done) {
    cbor_decoder_result r = cbor_stream_decode(data + pos, bytes.size() - pos, &cb, &shape);
    if (r.status != CBOR_DECODER_FINISHED || r.read == 0) {
      return InvalidArgumentError("CBOR truncated or malformed");
    }
    pos += r.read;
  }
  if (shape.bad) return InvalidArgumentError("CBOR too deep, over-long or badly nested");
  if (!shape.done) return InvalidArgumentError("CBOR truncated");
  if (pos != bytes.size()) return InvalidArgumentError("trailing bytes after CBOR item");
  return OkStatus();
}

}  // namespace

void Item::Deref::operator()(cbor_item_t* p) const { cbor_decref(&p); }

Item Item::Uint(uint64_t v) {
  if (v <= 0xFF) return Item(Checked(cbor_build_uint8(static_cast<uint8_t>(v))));
  if (v <= 0xFFFF) return Item(Checked(cbor_build_uint16(static_cast<uint16_t>(v))));
  if (v <= 0xFFFFFFFF) return Item(Checked(cbor_build_uint32(static_cast<uint32_t>(v))));
  return Item(Checked(cbor_build_uint64(v)));
}

Item Item::Int(int64_t v) {
  if (v >= 0) return Uint(static_cast<uint64_t>(v));
  uint64_t n = static_cast<uint64_t>(-(v + 1));
  if (n <= 0xFF) return Item(Checked(cbor_build_negint8(static_cast<uint8_t>(n))));
  if (n <= 0xFFFF) return Item(Checked(cbor_build_negint16(static_cast<uint16_t>(n))));
  if (n <= 0xFFFFFFFF) return Item(Checked(cbor_build_negint32(static_cast<uint32_t>(n))));
  return Item(Checked(cbor_build_negint64(n)));
}

Item Item::Text(std::string_view s) {
  return Item(Checked(cbor_build_stringn(s.data(), s.size())));
}
Item Item::Bytes(std::string_view b) {
  return Item(Checked(cbor_build_bytestring(reinterpret_cast<cbor_data>(b.data()), b.size())));
}
Item Item::Bool(bool b) { return Item(Checked(cbor_build_bool(b))); }
Item Item::Null() { return Item(Checked(cbor_new_null())); }
Item Item::Double(double d) { return Item(Checked(cbor_build_float8(d))); }

Item Item::Array(std::vector<Item> items) {
  Item out(Checked(cbor_new_definite_array(items.size())));
  for (const auto& i : items) {
    if (!cbor_array_push(out.item_.get(), Raw(i))) std::abort();
  }
  return out;
}

Item Item::Map(std::vector<std::pair<Item, Item>> entries) {
  Item out(Checked(cbor_new_definite_map(entries.size())));
  for (const auto& [k, v] : entries) {
    if (!cbor_map_add(out.item_.get(), cbor_pair{Raw(k), Raw(v)})) std::abort();
  }
  return out;
}

Item Item::TextMap(std::vector<std::pair<std::string, Item>> entries) {
  std::vector<std::pair<Item, Item>> m;
  m.reserve(entries.size());
  for (auto& [k, v] : entries) m.emplace_back(Text(k), std::move(v));
  return Map(std::move(m));
}

Item Item::Tag(uint64_t tag, Item inner) { return Item(Checked(cbor_build_tag(tag, Raw(inner)))); }

StatusOr<Item> Item::Decode(std::string_view bytes) {
  if (bytes.empty()) return InvalidArgumentError("empty CBOR");
  VT_RETURN_IF_ERROR(CheckShape(bytes));
  cbor_load_result r;
  cbor_item_t* p = cbor_load(reinterpret_cast<cbor_data>(bytes.data()), bytes.size(), &r);
  if (p == nullptr || r.error.code != CBOR_ERR_NONE) {
    if (p != nullptr) cbor_decref(&p);
    return InvalidArgumentError("CBOR does not parse");
  }
  Item out(p);
  if (r.read != bytes.size()) return InvalidArgumentError("trailing bytes after CBOR item");
  return out;
}

std::string Item::EncodeAsBuilt() const { return Serialize(item_.get()); }

std::string Item::Encode() const {
  Canonicalize(item_.get());
  return Serialize(item_.get());
}

}  // namespace vt::c2pa::cbor
