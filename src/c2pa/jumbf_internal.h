// Internal to the c2pa module: JUMBF boxes (ISO/IEC 19566-5) as C2PA 2.2 §11.1
// uses them. A box is `LBox u32 BE | TBox 4cc | payload` (LBox = 1 adds a u64
// XLBox; LBox = 0 runs to the end of the enclosing data). A superbox `jumb`
// holds a description box `jumd` (type UUID | toggles | NUL-terminated label)
// and then its content boxes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vt::c2pa::jumbf {

// Four-character codes that make the C2PA JUMBF type UUIDs (C2PA 2.2 §11.1.2):
// the UUID is the 4cc followed by 0011-0010-8000-00AA00389B71.
inline constexpr std::string_view kStore = "c2pa";
inline constexpr std::string_view kManifest = "c2ma";
inline constexpr std::string_view kUpdateManifest = "c2um";
inline constexpr std::string_view kAssertionStore = "c2as";
inline constexpr std::string_view kClaim = "c2cl";
inline constexpr std::string_view kSignature = "c2cs";
inline constexpr std::string_view kCbor = "cbor";
inline constexpr std::string_view kJson = "json";

// Toggles: requestable (0x01) | label present (0x02).
inline constexpr uint8_t kDefaultToggles = 0x03;
// Superboxes nest store > manifest > assertion store > assertion; deeper is refused.
inline constexpr int kMaxDepth = 8;

// The 16-byte UUID for a 4cc above.
std::string TypeUuid(std::string_view fourcc);

// Serializes one box. Precondition: `type` has 4 bytes.
std::string MakeBox(std::string_view type, std::string_view payload);
// A `jumb` superbox: `jumd` (TypeUuid(type_4cc), toggles, label) + `contents`
// (already serialized boxes, in order).
std::string MakeSuperBox(std::string_view type_4cc, std::string_view label,
                         const std::vector<std::string>& contents);

// A parsed plain box; views point into the parsed buffer.
struct Box {
  std::string type;          // 4 bytes
  std::string_view payload;  // after the header
  std::string_view whole;    // header + payload
};

// A parsed superbox.
struct SuperBox {
  std::string uuid;  // 16 bytes
  uint8_t toggles = 0;
  std::string label;
  std::string_view whole;     // the entire jumb box
  std::string_view body;      // jumb payload: jumd + contents (what hashed URIs hash, §8.4.2.3)
  std::vector<Box> contents;  // non-superbox content boxes, in order
  std::vector<SuperBox> children;  // nested superboxes, in order

  // The child superbox labelled `label`, or nullptr.
  const SuperBox* Child(std::string_view label) const;
  // The 4cc of the type UUID if it has the C2PA suffix, else "".
  std::string TypeCode() const;
};

// Splits `data` into consecutive boxes. InvalidArgument (naming the offset) if a
// size is smaller than its header or runs past the end of `data`.
StatusOr<std::vector<Box>> SplitBoxes(std::string_view data);

// Parses one `jumb` box that spans all of `data`, recursively (at most
// kMaxDepth levels). InvalidArgument for any malformed or truncated part,
// including a missing or malformed `jumd` and a label that is not terminated.
StatusOr<SuperBox> ParseSuperBox(std::string_view data);

}  // namespace vt::c2pa::jumbf
