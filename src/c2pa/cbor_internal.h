// Internal to the c2pa module: a small C++ face over libcbor. Items are built
// with the factories below and always serialized in the core deterministic
// encoding of RFC 8949 §4.2.1 (shortest integer heads, definite lengths, map
// keys sorted by their encoded bytes), which C2PA 2.2 §10.2 requires for claims.
// <cbor.h> stays in cbor.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

struct cbor_item_t;

namespace vt::c2pa::cbor {

// A handle owning one reference to a libcbor item. Movable, not copyable.
class Item {
 public:
  static Item Uint(uint64_t v);
  static Item Int(int64_t v);
  static Item Text(std::string_view s);
  static Item Bytes(std::string_view b);
  static Item Bool(bool b);
  static Item Null();
  static Item Double(double d);
  static Item Array(std::vector<Item> items);
  // Keys may be any items; Encode() sorts them.
  static Item Map(std::vector<std::pair<Item, Item>> entries);
  // A map with text keys (the common case).
  static Item TextMap(std::vector<std::pair<std::string, Item>> entries);
  static Item Tag(uint64_t tag, Item inner);

  // Parses exactly one item spanning all of `bytes` (indefinite lengths are
  // accepted). InvalidArgument for malformed, truncated or trailing input, and
  // for nesting deeper than kMaxDepth (checked before libcbor builds the tree).
  static StatusOr<Item> Decode(std::string_view bytes);
  static constexpr int kMaxDepth = 24;

  Item() = default;
  Item(Item&&) noexcept = default;
  Item& operator=(Item&&) noexcept = default;

  // Deterministic encoding (sorts every map in place first).
  std::string Encode() const;
  // Encoding in the order the items were built, for structures another
  // implementation re-serializes field by field before checking a signature
  // (the CAWG signer_payload, which c2pa-rs writes in struct field order).
  std::string EncodeAsBuilt() const;
  const cbor_item_t* get() const { return item_.get(); }
  bool empty() const { return item_ == nullptr; }

 private:
  struct Deref {
    void operator()(cbor_item_t* p) const;
  };
  explicit Item(cbor_item_t* p) : item_(p) {}
  std::unique_ptr<cbor_item_t, Deref> item_;
};

// Builds a text-keyed map in one expression:
//   Item m = Obj().Add("url", Item::Text(u)).Add("hash", Item::Bytes(h)).Build();
class Obj {
 public:
  Obj&& Add(std::string key, Item value) && {
    entries_.emplace_back(std::move(key), std::move(value));
    return std::move(*this);
  }
  void Put(std::string key, Item value) { entries_.emplace_back(std::move(key), std::move(value)); }
  Item Build() && { return Item::TextMap(std::move(entries_)); }

 private:
  std::vector<std::pair<std::string, Item>> entries_;
};

// A borrowed, read-only view of a decoded item (valid while its Item lives).
// Accessors return InvalidArgument naming `what` when the type is wrong, so a
// verifier can turn them straight into "claim.malformed"-style reports.
class View {
 public:
  explicit View(const cbor_item_t* p = nullptr) : p_(p) {}
  bool valid() const { return p_ != nullptr; }
  bool is_map() const;
  bool is_array() const;
  bool is_text() const;
  bool is_bytes() const;
  bool is_null() const;
  // The value under text key `key` of a map, or an invalid view.
  View Get(std::string_view key) const;
  // The value under integer key `key` of a map, or an invalid view.
  View GetInt(int64_t key) const;
  size_t size() const;           // array or map length; 0 otherwise
  View At(size_t i) const;       // array element (precondition: i < size())
  View KeyAt(size_t i) const;    // map entry key
  View ValueAt(size_t i) const;  // map entry value
  StatusOr<std::string> Text(std::string_view what) const;
  StatusOr<std::string> Bytes(std::string_view what) const;
  StatusOr<uint64_t> Uint(std::string_view what) const;
  StatusOr<int64_t> Int(std::string_view what) const;
  // Tag number (or -1 if not a tag) and its content.
  int64_t tag() const;
  View Tagged() const;
  // Deterministic encoding of this sub-item.
  std::string Encode() const;
  // A JSON rendering (bytes as base64), for reports. Depth is bounded by Decode.
  std::string ToJson() const;

 private:
  const cbor_item_t* p_;
};

// Converts a JSON text (object, array, string, number, bool, null) into CBOR.
// InvalidArgument if it does not parse.
StatusOr<Item> FromJson(std::string_view json);

}  // namespace vt::c2pa::cbor
