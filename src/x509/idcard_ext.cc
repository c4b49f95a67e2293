#include "x509/idcard_ext.h"

#include <openssl/asn1t.h>

#include "base/encoding.h"
#include "crypto/ossl.h"
#include "x509/registry_id.h"

// OpenSSL ASN.1 templates for VtrustIdCard (see idcard_ext.h).
extern "C" {
typedef struct vt_likeness_st {
  ASN1_ENUMERATED* kind;
  ASN1_OCTET_STRING* sha256;
  ASN1_OCTET_STRING* sm3;
} VT_LIKENESS;
DEFINE_STACK_OF(VT_LIKENESS)

typedef struct vt_idcard_st {
  ASN1_INTEGER* version;
  ASN1_UTF8STRING* registry_id;
  ASN1_UTF8STRING* owner_org;
  STACK_OF(VT_LIKENESS) * likeness;
  ASN1_BOOLEAN ai_driven;
  ASN1_UTF8STRING* digital_human_code;
} VT_IDCARD;

DECLARE_ASN1_FUNCTIONS(VT_LIKENESS)
DECLARE_ASN1_FUNCTIONS(VT_IDCARD)

ASN1_SEQUENCE(VT_LIKENESS) =
    {
        ASN1_SIMPLE(VT_LIKENESS, kind, ASN1_ENUMERATED),
        ASN1_SIMPLE(VT_LIKENESS, sha256, ASN1_OCTET_STRING),
        ASN1_SIMPLE(VT_LIKENESS, sm3, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(VT_LIKENESS)

        ASN1_SEQUENCE(VT_IDCARD) =
            {
                ASN1_SIMPLE(VT_IDCARD, version, ASN1_INTEGER),
                ASN1_SIMPLE(VT_IDCARD, registry_id, ASN1_UTF8STRING),
                ASN1_SIMPLE(VT_IDCARD, owner_org, ASN1_UTF8STRING),
                ASN1_SEQUENCE_OF(VT_IDCARD, likeness, VT_LIKENESS),
                ASN1_SIMPLE(VT_IDCARD, ai_driven, ASN1_BOOLEAN),
                ASN1_IMP_OPT(VT_IDCARD, digital_human_code, ASN1_UTF8STRING, 0),
} ASN1_SEQUENCE_END(VT_IDCARD)

                IMPLEMENT_ASN1_FUNCTIONS(VT_LIKENESS) IMPLEMENT_ASN1_FUNCTIONS(VT_IDCARD)
}

VT_OSSL_MAKE_DELETER(VT_LIKENESS, VT_LIKENESS_free)
VT_OSSL_MAKE_DELETER(VT_IDCARD, VT_IDCARD_free)

namespace vt::x509 {
namespace {

using LikenessPtr = ossl::UniquePtr<VT_LIKENESS>;
using IdCardPtr = ossl::UniquePtr<VT_IDCARD>;

constexpr size_t kMaxLikeness = 64;

Status Bad(std::string msg, std::string field) {
  return InvalidArgumentError("id-card extension: " + std::move(msg)).WithField(std::move(field));
}

Status CheckText(const std::string& s, size_t max, std::string field) {
  if (s.empty() || s.size() > max) {
    return Bad(field + " must be 1.." + std::to_string(max) + " bytes", field);
  }
  if (!IsValidUtf8(s)) return Bad(field + " is not valid UTF-8", field);
  return OkStatus();
}

bool SetString(ASN1_STRING* s, std::string_view v) {
  return ASN1_STRING_set(s, v.data(), static_cast<int>(v.size())) == 1;
}

StatusOr<LikenessPtr> ToAsn1(const LikenessFingerprint& f) {
  LikenessPtr l(VT_LIKENESS_new());
  if (!l || !ASN1_ENUMERATED_set(l->kind, static_cast<long>(f.kind)) ||
      !SetString(l->sha256, f.sha256) || !SetString(l->sm3, f.sm3)) {
    return ossl::Error(InternalError, "encoding likeness");
  }
  return l;
}

StatusOr<IdCardPtr> ToAsn1(const IdCardExtension& ext) {
  IdCardPtr c(VT_IDCARD_new());
  if (!c || !ASN1_INTEGER_set(c->version, kIdCardExtensionVersion) ||
      !SetString(c->registry_id, ext.registry_id) || !SetString(c->owner_org, ext.owner_org)) {
    return ossl::Error(InternalError, "encoding id-card extension");
  }
  for (const auto& f : ext.likeness) {
    VT_ASSIGN_OR_RETURN(LikenessPtr l, ToAsn1(f));
    if (sk_VT_LIKENESS_push(c->likeness, l.get()) == 0) {
      return ossl::Error(InternalError, "encoding likeness list");
    }
    l.release();  // owned by the stack now
  }
  c->ai_driven = ext.ai_driven ? 0xff : 0;
  if (ext.digital_human_code) {
    c->digital_human_code = ASN1_UTF8STRING_new();
    if (c->digital_human_code == nullptr ||
        !SetString(c->digital_human_code, *ext.digital_human_code)) {
      return ossl::Error(InternalError, "encoding digitalHumanCode");
    }
  }
  return c;
}

StatusOr<LikenessFingerprint> FromAsn1(const VT_LIKENESS* l) {
  LikenessFingerprint f;
  long kind = ASN1_ENUMERATED_get(l->kind);
  if (kind < 0 || kind > static_cast<long>(LikenessKind::kVoice)) {
    return Bad("unknown likeness kind", "likeness.kind");
  }
  f.kind = static_cast<LikenessKind>(kind);
  f.sha256 = ossl::AsnStringBytes(l->sha256);
  f.sm3 = ossl::AsnStringBytes(l->sm3);
  return f;
}

}  // namespace

std::string_view LikenessKindName(LikenessKind kind) {
  switch (kind) {
    case LikenessKind::kFace:
      return "face";
    case LikenessKind::kModel3d:
      return "model3d";
    case LikenessKind::kVoice:
      return "voice";
  }
  return "face";
}

StatusOr<LikenessKind> ParseLikenessKind(std::string_view name) {
  for (auto k : {LikenessKind::kFace, LikenessKind::kModel3d, LikenessKind::kVoice}) {
    if (LikenessKindName(k) == name) return k;
  }
  return InvalidArgumentError("likeness kind must be face, model3d or voice").WithField("kind");
}

Status ValidateIdCardExtension(const IdCardExtension& ext) {
  if (!IsCanonicalRegistryId(ext.registry_id)) {
    return Bad("registryId is not a canonical registry id", "registry_id");
  }
  VT_RETURN_IF_ERROR(CheckText(ext.owner_org, 256, "owner_org"));
  if (ext.likeness.size() > kMaxLikeness) return Bad("too many likeness entries", "likeness");
  for (const auto& f : ext.likeness) {
    if (f.sha256.size() != 32 || f.sm3.size() != 32) {
      return Bad("likeness digests must be 32 bytes", "likeness");
    }
  }
  if (ext.digital_human_code) {
    VT_RETURN_IF_ERROR(CheckText(*ext.digital_human_code, 128, "digital_human_code"));
  }
  return OkStatus();
}

StatusOr<std::string> EncodeIdCardExtension(const IdCardExtension& ext) {
  VT_RETURN_IF_ERROR(ValidateIdCardExtension(ext));
  VT_ASSIGN_OR_RETURN(IdCardPtr c, ToAsn1(ext));
  std::string der = ossl::ToDer(c.get(), i2d_VT_IDCARD);
  if (der.empty()) return ossl::Error(InternalError, "DER-encoding id-card extension");
  return der;
}

StatusOr<IdCardExtension> DecodeIdCardExtension(std::string_view der) {
  auto c = ossl::ParseDerExact<IdCardPtr>(der, d2i_VT_IDCARD);
  if (!c) {
    ossl::ClearErrors();
    return Bad("not a VtrustIdCard structure", "idcard_extension");
  }
  if (ossl::ToDer(c.get(), i2d_VT_IDCARD) != der) {
    return Bad("not DER (re-encoding differs)", "idcard_extension");
  }
  if (ASN1_INTEGER_get(c->version) != kIdCardExtensionVersion) {
    return Bad("unsupported version", "idcard_extension");
  }
  IdCardExtension ext;
  ext.registry_id = ossl::AsnStringBytes(c->registry_id);
  ext.owner_org = ossl::AsnStringBytes(c->owner_org);
  for (int i = 0; i < sk_VT_LIKENESS_num(c->likeness); ++i) {
    VT_ASSIGN_OR_RETURN(auto f, FromAsn1(sk_VT_LIKENESS_value(c->likeness, i)));
    ext.likeness.push_back(std::move(f));
  }
  // OpenSSL keeps the BOOLEAN content octet; DER allows only 0x00 and 0xFF
  // (X.690 §11.1), and the re-encoding check above cannot see the difference.
  if (c->ai_driven != 0 && c->ai_driven != 0xff) {
    return Bad("aiDriven is not a DER BOOLEAN", "idcard_extension");
  }
  ext.ai_driven = c->ai_driven != 0;
  if (c->digital_human_code != nullptr) {
    ext.digital_human_code = ossl::AsnStringBytes(c->digital_human_code);
  }
  Status valid = ValidateIdCardExtension(ext);
  if (!valid.ok()) return std::move(valid).WithField("idcard_extension");
  return ext;
}

}  // namespace vt::x509
