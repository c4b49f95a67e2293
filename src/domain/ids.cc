#include "domain/ids.h"

#include "base/encoding.h"
#include "domain/names.h"

namespace vt::domain {

std::string NewId(std::string_view prefix, Rng& rng) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  uint8_t bytes[13];
  rng.Fill(bytes, sizeof bytes);
  std::string id(prefix);
  id += '_';
  // 20 symbols x 5 bits = 100 bits from the first 12.5 bytes.
  uint64_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (int k = 0; k < 20; ++k) {
    if (bits < 5) {
      acc = (acc << 8) | bytes[i++];
      bits += 8;
    }
    bits -= 5;
    id += kAlphabet[(acc >> bits) & 31];
  }
  return id;
}

bool IsValidName(std::string_view name, size_t max_len) {
  return NameProblem(name, max_len).empty();
}

}  // namespace vt::domain
