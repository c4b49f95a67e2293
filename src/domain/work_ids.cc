#include "domain/work_ids.h"

#include <cctype>

namespace vt::domain {
namespace {

std::string Strip(std::string_view s, std::string_view drop) {
  std::string out;
  for (char c : s)
    if (drop.find(c) == std::string_view::npos) out.push_back(c);
  return out;
}

bool AllOf(std::string_view s, int (*pred)(int)) {
  for (char c : s)
    if (!pred(static_cast<unsigned char>(c))) return false;
  return true;
}

Status Bad(const std::string& field, const std::string& what) {
  return InvalidArgumentError(field + ": " + what).WithField(field);
}

}  // namespace

StatusOr<std::string> NormalizeIsrc(std::string_view s, const std::string& field) {
  if (s.size() > 20) return Bad(field, "an ISRC has 12 characters (CC-XXX-YY-NNNNN)");
  std::string c = Strip(s, "-");
  for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (c.size() != 12 || !AllOf(c.substr(0, 2), std::isalpha) ||
      !AllOf(c.substr(2, 3), std::isalnum) || !AllOf(c.substr(5, 7), std::isdigit))
    return Bad(field, "'" + std::string(s) +
                          "' is not an ISRC: expected CC-XXX-YY-NNNNN (country letters, "
                          "3 letters or digits, 2-digit year, 5-digit designation)");
  return c;
}

int IswcCheckDigit(std::string_view d) {
  if (d.size() != 9 || !AllOf(d, std::isdigit)) return -1;
  int sum = 1;
  for (int i = 0; i < 9; ++i) sum += (i + 1) * (d[i] - '0');
  return (10 - sum % 10) % 10;
}

StatusOr<std::string> NormalizeIswc(std::string_view s, const std::string& field) {
  if (s.size() > 20) return Bad(field, "an ISWC looks like T-DDD.DDD.DDD-C");
  std::string c = Strip(s, "-.");
  if (!c.empty() && c[0] == 't') c[0] = 'T';
  if (c.size() != 11 || c[0] != 'T' || !AllOf(c.substr(1), std::isdigit))
    return Bad(field, "'" + std::string(s) + "' is not an ISWC: expected T-DDD.DDD.DDD-C");
  int check = IswcCheckDigit(c.substr(1, 9));
  if (check != c[10] - '0')
    return Bad(field, "ISWC '" + std::string(s) + "' has check digit " + c.substr(10) +
                          "; the digits give " + std::to_string(check));
  return "T-" + c.substr(1, 3) + "." + c.substr(4, 3) + "." + c.substr(7, 3) + "-" + c.substr(10);
}

char Mod11_2CheckChar(std::string_view digits) {
  int p = 0;
  for (char ch : digits) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return '\0';
    p = ((p + (ch - '0')) * 2) % 11;
  }
  int r = (12 - p) % 11;
  return r == 10 ? 'X' : static_cast<char>('0' + r);
}

StatusOr<std::string> NormalizeIsni(std::string_view s, const std::string& field) {
  if (s.size() > 24) return Bad(field, "an ISNI has 16 characters");
  std::string c = Strip(s, " -");
  if (!c.empty() && c.back() == 'x') c.back() = 'X';
  if (c.size() != 16 || !AllOf(c.substr(0, 15), std::isdigit))
    return Bad(field, "'" + std::string(s) +
                          "' is not an ISNI: expected 15 digits and a "
                          "check character");
  char want = Mod11_2CheckChar(c.substr(0, 15));
  if (c[15] != want)
    return Bad(field, "ISNI '" + std::string(s) + "' has check character " + c.substr(15) +
                          "; ISO 7064 MOD 11-2 gives " + std::string(1, want));
  return c;
}

StatusOr<std::string> NormalizeOpaqueId(std::string_view s, const std::string& field) {
  if (s.empty() || s.size() > 64) return Bad(field, "must be 1-64 characters");
  for (char ch : s)
    if (ch <= ' ' || ch > '~') return Bad(field, "must be printable ASCII without spaces");
  return std::string(s);
}

StatusOr<std::string> NormalizeDigestHex(std::string_view s, const std::string& field) {
  if (s.size() != 64 || !AllOf(s, std::isxdigit))
    return Bad(field, "must be 64 hexadecimal digits");
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace vt::domain
