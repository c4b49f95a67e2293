#include "x509/registry_id.h"

#include <cctype>

namespace vt::x509 {
namespace {

constexpr size_t kCanonicalLength = 2 + 4 * 5;  // "VC" + 4 × ("-dddd")

Status BadId(std::string msg) {
  return InvalidArgumentError("registry id: " + std::move(msg)).WithField("registry_id");
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string Format(std::string_view sixteen) {
  std::string out(kRegistryIdPrefix);
  for (size_t i = 0; i < sixteen.size(); i += 4) {
    out += '-';
    out += sixteen.substr(i, 4);
  }
  return out;
}

}  // namespace

// ISO/IEC 7064:2003 §7.1 (MOD 11-2, pure system, radix 2): process digits left
// to right with p = (p + d) * 2 mod 11; the check c satisfies (p + c) ≡ 1 mod 11,
// and the value 10 is written 'X'.
char Mod11_2CheckChar(std::string_view digits) {
  int p = 0;
  for (char ch : digits) p = ((p + (ch - '0')) * 2) % 11;
  int c = (12 - p) % 11;
  return c == 10 ? 'X' : static_cast<char>('0' + c);
}

std::string GenerateRegistryId(Rng& rng) {
  std::string digits;
  for (int i = 0; i < kRegistryIdDigits; ++i) {
    digits += static_cast<char>('0' + rng.Uniform(10));
  }
  digits += Mod11_2CheckChar(digits);
  return Format(digits);
}

StatusOr<std::string> NormalizeRegistryId(std::string_view text) {
  std::string compact;
  for (char ch : text) {
    if (ch == '-' || ch == ' ') continue;
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  if (compact.rfind(kRegistryIdPrefix, 0) != 0) return BadId("must start with \"VC\"");
  std::string body = compact.substr(kRegistryIdPrefix.size());
  if (body.size() != kRegistryIdDigits + 1) return BadId("must have 16 characters after \"VC\"");
  for (int i = 0; i < kRegistryIdDigits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(body[i]))) return BadId("non-digit character");
  }
  char check = body.back();
  if (!std::isdigit(static_cast<unsigned char>(check)) && check != 'X') {
    return BadId("check character must be a digit or X");
  }
  if (Mod11_2CheckChar(std::string_view(body).substr(0, kRegistryIdDigits)) != check) {
    return BadId("wrong check character (mistyped?)");
  }
  return Format(body);
}

bool IsCanonicalRegistryId(std::string_view id) {
  if (id.size() != kCanonicalLength) return false;
  auto normalized = NormalizeRegistryId(id);
  return normalized.ok() && *normalized == id;
}

std::string CharacterUrn(std::string_view id) {
  return std::string(kCharacterUrnPrefix) + std::string(id);
}

StatusOr<std::string> ParseCharacterUrn(std::string_view urn) {
  if (urn.size() < kCharacterUrnPrefix.size() ||
      !EqualsIgnoreCase(urn.substr(0, kCharacterUrnPrefix.size()), kCharacterUrnPrefix)) {
    return InvalidArgumentError("not a urn:vtrust:char: URN").WithField("urn");
  }
  std::string_view id = urn.substr(kCharacterUrnPrefix.size());
  if (!IsCanonicalRegistryId(id)) {
    return InvalidArgumentError("URN does not hold a canonical registry id with a valid check")
        .WithField("urn");
  }
  return std::string(id);
}

}  // namespace vt::x509
