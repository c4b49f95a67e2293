// Internal to the x509 module: a minimal DER writer and reader for the few
// structures OpenSSL cannot produce around an external Signer (the outer
// SEQUENCE of signed objects, OCSP ResponseData). Everything else is encoded
// by OpenSSL. X.690 §8/§10 (definite lengths, minimal length octets).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace vt::x509::internal::der {

inline constexpr uint8_t kBoolean = 0x01;
inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kBitString = 0x03;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kNull = 0x05;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kEnumerated = 0x0a;
inline constexpr uint8_t kGeneralizedTime = 0x18;
inline constexpr uint8_t kSequence = 0x30;

// Tag, minimal definite length, content.
std::string Tlv(uint8_t tag, std::string_view content);
inline std::string Sequence(std::string_view content) { return Tlv(kSequence, content); }
// [n] EXPLICIT (constructed context tag) around `content` (a full TLV).
std::string Explicit(int n, std::string_view content);
// [n] IMPLICIT primitive.
std::string ImplicitPrimitive(int n, std::string_view content);
// BIT STRING with zero unused bits.
std::string BitString(std::string_view bytes);
// INTEGER or ENUMERATED of a small non-negative value, minimal encoding.
std::string SmallInteger(uint8_t tag, uint64_t value);
// INTEGER from a big-endian unsigned magnitude (adds the 0x00 sign octet when
// needed, strips leading zeros).
std::string UnsignedInteger(std::string_view magnitude);
// GeneralizedTime "YYYYMMDDHHMMSSZ" (RFC 5280 §4.1.2.5.2: no fractions).
std::string GeneralizedTime(TimePoint t);

struct Element {
  uint8_t tag = 0;
  std::string_view full;     // tag + length + content
  std::string_view content;  // content octets only
};

// Reads one element from the front of *in (single-byte tags, definite
// minimal lengths) and advances *in past it. False on malformed input.
bool Read(std::string_view* in, Element* out);

// Splits a signed object SEQUENCE { tbs, algorithm, BIT STRING signature, ...}
// into its raw parts. False if `der` is not such a SEQUENCE.
struct SignedParts {
  std::string_view tbs;        // full TLV
  std::string_view algorithm;  // full TLV
  std::string_view signature;  // signature bytes (unused-bits octet removed)
};
bool SplitSigned(std::string_view der, SignedParts* out);

}  // namespace vt::x509::internal::der
