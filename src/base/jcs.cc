#include "base/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "base/encoding.h"

namespace vt {
namespace {

// UTF-8 -> UTF-16 code units, for member ordering (RFC 8785 §3.2.3).
std::u16string ToUtf16(const std::string& s) {
  std::u16string out;
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = uint8_t(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (uint8_t(s[i + k]) & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += char16_t(0xD800 + (cp >> 10));
      out += char16_t(0xDC00 + (cp & 0x3FF));
    } else {
      out += char16_t(cp);
    }
  }
  return out;
}

void AppendString(const std::string& s, std::string* out) {
  static const char kHexDigits[] = "0123456789abcdef";
  *out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          *out += kHexDigits[c >> 4];
          *out += kHexDigits[c & 15];
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

// ECMAScript Number::toString (ECMA-262 §7.1.12.1) from the shortest round-trip digits.
Status AppendDouble(double v, std::string* out) {
  if (!std::isfinite(v)) return InvalidArgumentError("JSON number is not finite");
  if (v == 0) {
    *out += '0';
    return OkStatus();
  }
  if (v < 0) {
    *out += '-';
    v = -v;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  size_t epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  int exp10 = std::stoi(sci.substr(epos + 1));
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;
  if (k <= n && n <= 21) {
    *out += digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    *out += digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    *out += "0." + std::string(-n, '0') + digits;
  } else {
    *out += digits.substr(0, 1);
    if (k > 1) *out += "." + digits.substr(1);
    *out += 'e';
    *out += (n - 1 >= 0) ? '+' : '-';
    *out += std::to_string(std::abs(n - 1));
  }
  return OkStatus();
}

Status Append(const Json& v, std::string* out) {
  switch (v.type()) {
    case Json::value_t::null:
      *out += "null";
      return OkStatus();
    case Json::value_t::boolean:
      *out += v.get<bool>() ? "true" : "false";
      return OkStatus();
    case Json::value_t::number_integer:
      *out += std::to_string(v.get<int64_t>());
      return OkStatus();
    case Json::value_t::number_unsigned:
      *out += std::to_string(v.get<uint64_t>());
      return OkStatus();
    case Json::value_t::number_float:
      return AppendDouble(v.get<double>(), out);
    case Json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      if (!IsValidUtf8(s)) return InvalidArgumentError("JSON string is not valid UTF-8");
      AppendString(s, out);
      return OkStatus();
    }
    case Json::value_t::array: {
      *out += '[';
      bool first = true;
      for (const auto& e : v) {
        if (!first) *out += ',';
        first = false;
        VT_RETURN_IF_ERROR(Append(e, out));
      }
      *out += ']';
      return OkStatus();
    }
    case Json::value_t::object: {
      std::vector<std::pair<std::u16string, const std::string*>> keys;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!IsValidUtf8(it.key())) return InvalidArgumentError("JSON name is not valid UTF-8");
        keys.emplace_back(ToUtf16(it.key()), &it.key());
      }
      std::sort(keys.begin(), keys.end());
      *out += '{';
      bool first = true;
      for (const auto& [k16, k] : keys) {
        if (!first) *out += ',';
        first = false;
        AppendString(*k, out);
        *out += ':';
        VT_RETURN_IF_ERROR(Append(v.at(*k), out));
      }
      *out += '}';
      return OkStatus();
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
      return InvalidArgumentError("JSON value cannot be canonicalized");
  }
  return InternalError("unreachable");
}

}  // namespace

StatusOr<std::string> Canonicalize(const Json& value) {
  std::string out;
  VT_RETURN_IF_ERROR(Append(value, &out));
  return out;
}

StatusOr<Json> ParseJsonStrict(std::string_view text) {
  if (!IsValidUtf8(text)) return InvalidArgumentError("body is not valid UTF-8");
  std::string error;
  bool duplicate = false;
  // Member names per open object: a set, so that an object with n members costs
  // O(n log n), not O(n^2) (a 1 MiB body can hold ~10^5 members).
  std::vector<std::set<std::string>> seen;
  auto cb = [&](int /*depth*/, Json::parse_event_t ev, Json& parsed) {
    switch (ev) {
      case Json::parse_event_t::object_start:
        seen.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!seen.empty()) seen.pop_back();
        break;
      case Json::parse_event_t::key: {
        auto& names = seen.back();
        const auto& k = parsed.get_ref<const std::string&>();
        if (!names.insert(k).second && !duplicate) {
          duplicate = true;
          error = k;
        }
        break;
      }
      default:
        break;
    }
    return true;
  };
  Json j;
  try {
    j = Json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/true,
                    /*ignore_comments=*/false);
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for numbers beyond double ("1e400").
    std::string msg = e.what();
    // nlohmann messages start with "[json.exception.parse_error.101] "; keep the rest.
    auto pos = msg.find("] ");
    return InvalidArgumentError("malformed JSON: " +
                                (pos == std::string::npos ? msg : msg.substr(pos + 2)));
  }
  if (duplicate) return InvalidArgumentError("duplicate JSON member name").WithField(error);
  return j;
}

}  // namespace vt
