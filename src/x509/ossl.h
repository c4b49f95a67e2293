// Internal to the x509 module: RAII owners for OpenSSL X.509/OCSP handles and
// OpenSSL error translation. Not part of the public API.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::x509::internal {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
template <typename T, void (*F)(T*)>
using OsslPtr = std::unique_ptr<T, Deleter<T, F>>;

using X509Ptr = OsslPtr<X509, X509_free>;
using X509ReqPtr = OsslPtr<X509_REQ, X509_REQ_free>;
using X509CrlPtr = OsslPtr<X509_CRL, X509_CRL_free>;
using X509RevokedPtr = OsslPtr<X509_REVOKED, X509_REVOKED_free>;
using X509NamePtr = OsslPtr<X509_NAME, X509_NAME_free>;
using X509ExtPtr = OsslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using Asn1IntegerPtr = OsslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1OctetPtr = OsslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1TimePtr = OsslPtr<ASN1_TIME, ASN1_TIME_free>;
using Asn1ObjectPtr = OsslPtr<ASN1_OBJECT, ASN1_OBJECT_free>;
using Asn1BitStringPtr = OsslPtr<ASN1_BIT_STRING, ASN1_BIT_STRING_free>;
using Asn1EnumPtr = OsslPtr<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;
using BasicConstraintsPtr = OsslPtr<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;
using GeneralNamesPtr = OsslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralNamePtr = OsslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using AiaPtr = OsslPtr<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free>;
using CrlDpPtr = OsslPtr<CRL_DIST_POINTS, CRL_DIST_POINTS_free>;
using EkuPtr = OsslPtr<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
using AkidPtr = OsslPtr<AUTHORITY_KEYID, AUTHORITY_KEYID_free>;
using OcspReqPtr = OsslPtr<OCSP_REQUEST, OCSP_REQUEST_free>;
using OcspRespPtr = OsslPtr<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicPtr = OsslPtr<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using EvpPkeyPtr = OsslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OsslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpMdCtxPtr = OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using BignumPtr = OsslPtr<BIGNUM, BN_free>;
inline void FreeBio(BIO* b) { BIO_free_all(b); }
using BioPtr = OsslPtr<BIO, FreeBio>;

// `make_error(context: <drained OpenSSL error queue>)`. Always drains the
// thread-local queue so stale errors never leak into later reports.
Status OsslError(Status (*make_error)(std::string), std::string_view context);
// Empties the thread-local OpenSSL error queue.
void ClearOsslErrors();

// i2d of any OpenSSL object into a byte string ("" if encoding fails).
template <typename T, typename F>
std::string ToDer(T* obj, F i2d) {
  int n = i2d(obj, nullptr);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (i2d(obj, &p) != n) return "";
  return out;
}

// d2i into the owner type `Ptr`; null unless the whole input is consumed.
template <typename Ptr, typename F>
Ptr ParseDerExact(std::string_view der, F d2i) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const auto* end = p + der.size();
  Ptr obj(d2i(nullptr, &p, static_cast<long>(der.size())));
  if (obj != nullptr && p != end) obj.reset();
  return obj;
}

// The content bytes of an ASN1_STRING (OCTET STRING, UTF8String, ...).
std::string AsnStringBytes(const ASN1_STRING* s);

}  // namespace vt::x509::internal
