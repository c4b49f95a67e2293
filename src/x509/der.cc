#include "x509/der.h"

#include <ctime>

namespace vt::x509::internal::der {

std::string Tlv(uint8_t tag, std::string_view content) {
  std::string out(1, static_cast<char>(tag));
  size_t n = content.size();
  if (n < 0x80) {
    out += static_cast<char>(n);
  } else {
    std::string len;
    for (size_t v = n; v > 0; v >>= 8) len.insert(len.begin(), static_cast<char>(v & 0xff));
    out += static_cast<char>(0x80 | len.size());
    out += len;
  }
  out.append(content);
  return out;
}

std::string Explicit(int n, std::string_view content) {
  return Tlv(static_cast<uint8_t>(0xa0 | n), content);
}

std::string ImplicitPrimitive(int n, std::string_view content) {
  return Tlv(static_cast<uint8_t>(0x80 | n), content);
}

std::string BitString(std::string_view bytes) {
  std::string content(1, '\0');
  content.append(bytes);
  return Tlv(kBitString, content);
}

std::string SmallInteger(uint8_t tag, uint64_t value) {
  std::string mag;
  for (uint64_t v = value; v > 0; v >>= 8) mag.insert(mag.begin(), static_cast<char>(v & 0xff));
  if (mag.empty() || (static_cast<uint8_t>(mag[0]) & 0x80)) mag.insert(mag.begin(), '\0');
  return Tlv(tag, mag);
}

std::string UnsignedInteger(std::string_view magnitude) {
  size_t i = 0;
  while (i + 1 < magnitude.size() && magnitude[i] == '\0') ++i;
  std::string mag(magnitude.substr(i));
  if (mag.empty() || (static_cast<uint8_t>(mag[0]) & 0x80)) mag.insert(mag.begin(), '\0');
  return Tlv(kInteger, mag);
}

std::string GeneralizedTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%SZ", &tm);
  return Tlv(kGeneralizedTime, buf);
}

bool Read(std::string_view* in, Element* out) {
  std::string_view s = *in;
  if (s.size() < 2) return false;
  auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  if ((byte(0) & 0x1f) == 0x1f) return false;  // multi-byte tags: not used here
  size_t len = byte(1);
  size_t header = 2;
  if (len & 0x80) {
    size_t k = len & 0x7f;
    if (k == 0 || k > 4 || s.size() < 2 + k || byte(2) == 0) return false;
    len = 0;
    for (size_t i = 0; i < k; ++i) len = (len << 8) | byte(2 + i);
    if (len < 0x80) return false;  // not minimal
    header += k;
  }
  if (s.size() - header < len) return false;
  out->tag = byte(0);
  out->full = s.substr(0, header + len);
  out->content = s.substr(header, len);
  in->remove_prefix(header + len);
  return true;
}

bool SplitSigned(std::string_view der, SignedParts* out) {
  Element outer, tbs, alg, sig;
  if (!Read(&der, &outer) || !der.empty() || outer.tag != kSequence) return false;
  std::string_view body = outer.content;
  if (!Read(&body, &tbs) || !Read(&body, &alg) || !Read(&body, &sig)) return false;
  if (tbs.tag != kSequence || alg.tag != kSequence || sig.tag != kBitString) return false;
  if (sig.content.empty() || sig.content[0] != '\0') return false;
  out->tbs = tbs.full;
  out->algorithm = alg.full;
  out->signature = sig.content.substr(1);
  return true;
}

}  // namespace vt::x509::internal::der
