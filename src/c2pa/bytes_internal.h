// Internal to the c2pa module: big- and little-endian integer helpers shared
// by JUMBF and the container formats. Readers assume the caller checked bounds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vt::c2pa {

inline uint64_t ReadBe(std::string_view d, size_t pos, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(d[pos + i]);
  return v;
}
inline uint32_t ReadU32(std::string_view d, size_t pos) {
  return static_cast<uint32_t>(ReadBe(d, pos, 4));
}
inline uint64_t ReadU64(std::string_view d, size_t pos) { return ReadBe(d, pos, 8); }
inline uint16_t ReadU16(std::string_view d, size_t pos) {
  return static_cast<uint16_t>(ReadBe(d, pos, 2));
}
inline uint32_t ReadLe32(std::string_view d, size_t pos) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(d[pos + i]);
  return v;
}

inline void AppendBe(std::string* out, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
inline void AppendU16(std::string* out, uint16_t v) { AppendBe(out, v, 2); }
inline void AppendU32(std::string* out, uint32_t v) { AppendBe(out, v, 4); }
inline void AppendU64(std::string* out, uint64_t v) { AppendBe(out, v, 8); }
inline void AppendLe32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace vt::c2pa
