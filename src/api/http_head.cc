#include "api/http_head.h"

#include <strings.h>

namespace vt::api {
namespace {

constexpr std::string_view kAuthorization = "authorization:";

void Refuse(HeadScan* scan, int status, std::string detail) {
  scan->status = status;
  scan->detail = std::move(detail);
}

// Checks one complete field line (without its CRLF) starting at `line`.
void CheckField(std::string_view line, char* mutable_line, const HttpLimits& limits,
                HeadScan* scan) {
  if (line.front() == ' ' || line.front() == '\t')
    return Refuse(scan, 400,
                  "malformed HTTP request: a header line starts with whitespace (obs-fold "
                  "line folding is not accepted, RFC 9112 §5.2)");
  if (line.find(':') == std::string_view::npos)
    return Refuse(scan, 400, "malformed HTTP request: a header line has no colon");
  if (++scan->fields > limits.max_header_fields)
    return Refuse(
        scan, 431,
        "the request has more than " + std::to_string(limits.max_header_fields) + " header fields");
  if (line.size() >= kAuthorization.size() &&
      strncasecmp(line.data(), kAuthorization.data(), kAuthorization.size()) == 0) {
    for (size_t i = kAuthorization.size(); i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        mutable_line[i] = static_cast<char>(0x80);
        scan->suspicious = true;
      }
    }
  }
}

}  // namespace

void ScanHead(std::string_view head, char* mutable_head, const HttpLimits& limits, HeadScan* scan) {
  while (scan->status == 0 && scan->end == 0) {
    size_t start = scan->pos;
    bool first = start == scan->begin;
    size_t max_line = limits.max_line_bytes;
    size_t cr = head.find_first_of("\r\n", start);
    size_t partial = (cr == std::string_view::npos ? head.size() : cr) - start;
    if (partial > max_line) {
      if (first) return Refuse(scan, 414, "request URI is too long");
      return Refuse(
          scan, 400,
          "malformed HTTP request: a header field is over " + std::to_string(max_line) + " bytes");
    }
    if (start + partial > limits.max_header_bytes)
      return Refuse(
          scan, 431,
          "the request header is over " + std::to_string(limits.max_header_bytes) + " bytes");
    if (cr == std::string_view::npos || cr + 1 >= head.size()) return;  // need more
    if (head[cr] == '\n' || head[cr + 1] != '\n')
      return Refuse(scan, 400,
                    std::string("malformed HTTP request: a bare ") +
                        (head[cr] == '\n' ? "LF" : "CR") +
                        " in the header (lines end with CRLF, RFC 9112 §2.2)");
    scan->pos = cr + 2;
    if (cr == start) {
      // RFC 9112 §2.2: empty lines before the request line are ignored.
      if (first)
        scan->begin = scan->pos;
      else
        scan->end = scan->pos;
      continue;
    }
    if (!first) CheckField(head.substr(start, cr - start), mutable_head + start, limits, scan);
  }
}

std::string DecodeUrl(std::string_view s, bool plus_as_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && plus_as_space) {
      out += ' ';
    } else if (c == '%' && i + 5 < s.size() && s[i + 1] == 'u' && hex(s[i + 2]) >= 0 &&
               hex(s[i + 3]) >= 0 && hex(s[i + 4]) >= 0 && hex(s[i + 5]) >= 0) {
      unsigned cp =
          (hex(s[i + 2]) << 12) | (hex(s[i + 3]) << 8) | (hex(s[i + 4]) << 4) | hex(s[i + 5]);
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      }
      i += 5;
    } else if (c == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>((hex(s[i + 1]) << 4) | hex(s[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::multimap<std::string, std::string> ParseQuery(std::string_view query) {
  std::multimap<std::string, std::string> out;
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(i, amp - i);
    size_t eq = pair.find('=');
    std::string name = DecodeUrl(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? "" : DecodeUrl(pair.substr(eq + 1), true);
    if (!name.empty()) out.emplace(std::move(name), std::move(value));
    i = amp + 1;
  }
  return out;
}

}  // namespace vt::api
