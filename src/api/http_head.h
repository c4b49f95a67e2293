// Checks on raw request bytes that Boost.Beast's parser does not make, and the
// target decoding the Router expects. Pure functions: no I/O, no state but what
// the caller passes in.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "api/http_limits.h"

namespace vt::api {

// Where a scan of a request head stopped.
struct HeadScan {
  // Offset of the next byte to scan (the start of an incomplete line); keep it
  // between calls on a growing buffer so that each byte is scanned once.
  size_t pos = 0;
  // Offset of the request line (after empty lines that RFC 9112 §2.2 ignores).
  size_t begin = 0;
  size_t fields = 0;
  // Control characters were replaced in the Authorization field (see ScanHead):
  // the connection ends after the answer.
  bool suspicious = false;
  // When the head is complete: its size including the empty line; else 0.
  size_t end = 0;
  // When the head must be refused: 400, 414 or 431, and why. Else 0.
  int status = 0;
  std::string detail;
};

// Scans `head` (the bytes received so far, the request line first) line by line
// from scan->pos. Refuses what RFC 9112 requires a server to refuse and Beast
// accepts or reports late:
//   - a bare CR or a bare LF as a line ending (RFC 9112 §2.2);
//   - a field line that starts with whitespace: obs-fold (RFC 9112 §5.2) or
//     whitespace before the first field (RFC 9112 §2.2);
//   - a field line without a colon (RFC 9112 §5.1);
//   - a request line over limits.max_line_bytes (414) or a field line over it
//     (400), more than max_header_fields fields or a head over max_header_bytes
//     (431, RFC 6585 §5), checked while the head is still arriving.
// Control characters in the Authorization field's value are replaced with 0x80
// (obs-text): the parser then keeps the line, and the Router refuses the token
// with the same 401 as any other bad token (RFC 6750 §2.1 allows visible ASCII
// only). Beast refuses control characters in other fields (RFC 9110 §5.5).
void ScanHead(std::string_view head, char* mutable_head, const HttpLimits& limits, HeadScan* scan);

// Percent-decodes a URL path or query component (RFC 3986 §2.1); invalid escapes
// are kept as they are, "%uXXXX" is decoded to UTF-8 and, in queries, '+' to a
// space (what the Router saw before: the decoding cpp-httplib applied).
std::string DecodeUrl(std::string_view s, bool plus_as_space);

// Splits "a=1&b=2" into decoded pairs; pairs with an empty name are dropped.
std::multimap<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace vt::api
