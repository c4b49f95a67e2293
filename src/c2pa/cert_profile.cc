// Certificate profile checks for claim signers (C2PA 2.2 §14.5.1) and CAWG
// X.509 identity credentials.
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

#include "c2pa/cert_profile_internal.h"

namespace vt::c2pa::internal {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct EkuFree {
  void operator()(EXTENDED_KEY_USAGE* e) const { EXTENDED_KEY_USAGE_free(e); }
};

TimePoint AsnTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return TimePoint{};
  return std::chrono::time_point_cast<TimePoint::duration>(
      std::chrono::system_clock::from_time_t(timegm(&tm)));
}

std::string NameEntry(X509_NAME* name, int nid) {
  int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return "";
  ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

StatusOr<CertFacts> ReadCertFacts(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, X509Free> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return InvalidArgumentError("certificate does not parse");
  }
  CertFacts f;
  uint32_t flags = X509_get_extension_flags(x.get());  // also caches the extensions
  f.is_ca = (flags & EXFLAG_CA) != 0;
  f.has_key_usage = (flags & EXFLAG_KUSAGE) != 0;
  f.digital_signature = f.has_key_usage && (X509_get_key_usage(x.get()) & KU_DIGITAL_SIGNATURE);
  std::unique_ptr<EXTENDED_KEY_USAGE, EkuFree> eku(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(x.get(), NID_ext_key_usage, nullptr, nullptr)));
  for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    char buf[128];
    int n = OBJ_obj2txt(buf, sizeof(buf), sk_ASN1_OBJECT_value(eku.get(), i), 1);
    if (n > 0 && n < static_cast<int>(sizeof(buf))) f.ekus.emplace_back(buf, n);
  }
  X509_NAME* subject = X509_get_subject_name(x.get());
  f.subject = "CN=" + NameEntry(subject, NID_commonName);
  std::string org = NameEntry(subject, NID_organizationName);
  if (!org.empty()) f.subject += ", O=" + org;
  if (EVP_PKEY* key = X509_get0_pubkey(x.get())) {
    int n = i2d_PUBKEY(key, nullptr);
    if (n > 0) {
      f.spki_der.resize(static_cast<size_t>(n));
      auto* out = reinterpret_cast<unsigned char*>(f.spki_der.data());
      i2d_PUBKEY(key, &out);
    }
  }
  f.not_before = AsnTime(X509_get0_notBefore(x.get()));
  f.not_after = AsnTime(X509_get0_notAfter(x.get()));
  return f;
}

std::string ProfileProblem(const CertFacts& f, const std::vector<std::string_view>& accepted) {
  if (f.is_ca) return "a CA certificate must not sign";
  if (!f.digital_signature) return "key usage lacks digitalSignature";
  if (f.ekus.empty()) return "no extended key usage";
  auto has = [&](std::string_view oid) {
    return std::find(f.ekus.begin(), f.ekus.end(), oid) != f.ekus.end();
  };
  if (has(kEkuAny)) return "anyExtendedKeyUsage is not allowed";
  for (auto oid : accepted) {
    if (has(oid)) return "";
  }
  return "no accepted extended key usage";
}

}  // namespace vt::c2pa::internal
