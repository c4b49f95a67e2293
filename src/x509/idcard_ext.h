// The vtrust ID-card certificate extension (docs/id-card-profile.md), DER-encoded:
//
//   VtrustIdCard ::= SEQUENCE {
//     version           INTEGER { v1(1) },
//     registryId        UTF8String,            -- "VC-dddd-dddd-dddd-dddC"
//     ownerOrg          UTF8String,
//     likeness          SEQUENCE OF LikenessFingerprint,
//     aiDriven          BOOLEAN,
//     digitalHumanCode  [0] IMPLICIT UTF8String OPTIONAL }
//   LikenessFingerprint ::= SEQUENCE {
//     kind    ENUMERATED { face(0), model3d(1), voice(2) },
//     sha256  OCTET STRING (SIZE(32)),
//     sm3     OCTET STRING (SIZE(32)) }
//
// The OID lives under vtrust's own UUID arc (below). The full ASN.1 module is
// in docs/id-card-profile.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vt::x509 {

// vtrust's OID arc (ITU-T X.667: 2.25.<UUID as an integer>, unique without
// registration). vtrust's UUID is the random v4 UUID
// cb9056ae-2898-41da-b554-eaa695904677. The arc is 2.25 followed by that
// UUID's low 63 bits (0x3554eaa695904677), i.e. the UUID
// 00000000-0000-0000-3554-eaa695904677, because GnuTLS (libtasn1 4.19,
// Debian 12) rejects any certificate containing an OID arc >= 2^64, and every
// RFC 4122 UUID is >= 2^76 (its version nibble). A collision with a properly
// generated UUID arc is therefore impossible, and one with another arc built
// the same way has probability 2^-63. docs/id-card-profile.md explains.
inline constexpr std::string_view kVtrustUuid = "cb9056ae-2898-41da-b554-eaa695904677";
inline constexpr std::string_view kVtrustOidArc = "2.25.3842954383248606839";
// id-vtrust-ce-idCard = arc.1.1 (arc.1 = certificate extensions).
inline constexpr std::string_view kIdCardExtensionOid = "2.25.3842954383248606839.1.1";

enum class LikenessKind { kFace = 0, kModel3d = 1, kVoice = 2 };

// "face", "model3d", "voice".
std::string_view LikenessKindName(LikenessKind kind);
// InvalidArgument (field "kind") for anything else.
StatusOr<LikenessKind> ParseLikenessKind(std::string_view name);

struct LikenessFingerprint {
  LikenessKind kind = LikenessKind::kFace;
  std::string sha256;  // raw 32 bytes
  std::string sm3;     // raw 32 bytes
  bool operator==(const LikenessFingerprint&) const = default;
};

struct IdCardExtension {
  std::string registry_id;                    // canonical, see registry_id.h
  std::string owner_org;                      // UTF-8, 1..256 bytes
  std::vector<LikenessFingerprint> likeness;  // at most 64
  bool ai_driven = false;
  std::optional<std::string> digital_human_code;  // UTF-8, 1..128 bytes
  bool operator==(const IdCardExtension&) const = default;
};

inline constexpr int kIdCardExtensionVersion = 1;

// Checks the field rules above. InvalidArgument naming the field otherwise.
Status ValidateIdCardExtension(const IdCardExtension& ext);

// The DER of VtrustIdCard (the extnValue contents). Validates first.
StatusOr<std::string> EncodeIdCardExtension(const IdCardExtension& ext);

// Strict decoding: DER only (the input must re-encode to the same bytes), no
// trailing data, version 1, known kinds, 32-byte digests, valid field rules.
// InvalidArgument (field "idcard_extension") otherwise.
StatusOr<IdCardExtension> DecodeIdCardExtension(std::string_view der);

}  // namespace vt::x509
