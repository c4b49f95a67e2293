// The one place that wraps OpenSSL handles for the whole tree: an owning
// smart pointer per OpenSSL type and the translation of OpenSSL's error queue
// into Status values. Modelled on BoringSSL's bssl::UniquePtr<T>
// (include/openssl/base.h): one template, one deleter trait per type, so
// `UniquePtr<X509>` frees with X509_free and nothing else does.
// For src/crypto/, src/x509/ and src/c2pa/ only; other modules use their APIs.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::ossl {

// The deleter trait: specialised once per OpenSSL type with
// VT_OSSL_MAKE_DELETER; using UniquePtr<T> for a type without one fails to
// compile.
template <typename T>
struct Deleter;

// An owning pointer to an OpenSSL object (a "get1"/"new" result, see
// BoringSSL's API-CONVENTIONS.md); frees it with the type's free function.
template <typename T>
using UniquePtr = std::unique_ptr<T, Deleter<T>>;

}  // namespace vt::ossl

// Declares the deleter of `type` as `free_fn(p)`. Use at global namespace
// scope, once per type (types local to one file, such as ASN.1 templates
// declared with DECLARE_ASN1_FUNCTIONS, may do so in that file).
#define VT_OSSL_MAKE_DELETER(type, free_fn)        \
  namespace vt::ossl {                             \
  template <>                                      \
  struct Deleter<type> {                           \
    void operator()(type* p) const { free_fn(p); } \
  };                                               \
  }

VT_OSSL_MAKE_DELETER(BIO, BIO_free_all)
VT_OSSL_MAKE_DELETER(BIGNUM, BN_free)
VT_OSSL_MAKE_DELETER(EVP_PKEY, EVP_PKEY_free)
VT_OSSL_MAKE_DELETER(EVP_PKEY_CTX, EVP_PKEY_CTX_free)
VT_OSSL_MAKE_DELETER(EVP_MD_CTX, EVP_MD_CTX_free)
VT_OSSL_MAKE_DELETER(X509, X509_free)
VT_OSSL_MAKE_DELETER(X509_REQ, X509_REQ_free)
VT_OSSL_MAKE_DELETER(X509_CRL, X509_CRL_free)
VT_OSSL_MAKE_DELETER(X509_REVOKED, X509_REVOKED_free)
VT_OSSL_MAKE_DELETER(X509_NAME, X509_NAME_free)
VT_OSSL_MAKE_DELETER(X509_EXTENSION, X509_EXTENSION_free)
VT_OSSL_MAKE_DELETER(X509_STORE, X509_STORE_free)
VT_OSSL_MAKE_DELETER(X509_STORE_CTX, X509_STORE_CTX_free)
VT_OSSL_MAKE_DELETER(ASN1_STRING, ASN1_STRING_free)
VT_OSSL_MAKE_DELETER(ASN1_OBJECT, ASN1_OBJECT_free)
VT_OSSL_MAKE_DELETER(ASN1_NULL, ASN1_NULL_free)
VT_OSSL_MAKE_DELETER(BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free)
VT_OSSL_MAKE_DELETER(GENERAL_NAMES, GENERAL_NAMES_free)
VT_OSSL_MAKE_DELETER(GENERAL_NAME, GENERAL_NAME_free)
VT_OSSL_MAKE_DELETER(AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free)
VT_OSSL_MAKE_DELETER(CRL_DIST_POINTS, CRL_DIST_POINTS_free)
VT_OSSL_MAKE_DELETER(EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free)
VT_OSSL_MAKE_DELETER(AUTHORITY_KEYID, AUTHORITY_KEYID_free)
VT_OSSL_MAKE_DELETER(OCSP_REQUEST, OCSP_REQUEST_free)
VT_OSSL_MAKE_DELETER(OCSP_RESPONSE, OCSP_RESPONSE_free)
VT_OSSL_MAKE_DELETER(OCSP_BASICRESP, OCSP_BASICRESP_free)
VT_OSSL_MAKE_DELETER(OCSP_CERTID, OCSP_CERTID_free)
VT_OSSL_MAKE_DELETER(ECDSA_SIG, ECDSA_SIG_free)

namespace vt::ossl {

// A STACK_OF(X509) that owns its certificates (sk_X509_pop_free).
struct CertStackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using CertStackPtr = std::unique_ptr<STACK_OF(X509), CertStackDeleter>;

// Short names for the types used most. ASN1_INTEGER, ASN1_OCTET_STRING, ASN1_TIME,
// ASN1_BIT_STRING and ASN1_ENUMERATED are all ASN1_STRING in OpenSSL, so
// they share its deleter.
using BioPtr = UniquePtr<BIO>;
using BignumPtr = UniquePtr<BIGNUM>;
using EvpPkeyPtr = UniquePtr<EVP_PKEY>;
using EvpPkeyCtxPtr = UniquePtr<EVP_PKEY_CTX>;
using EvpMdCtxPtr = UniquePtr<EVP_MD_CTX>;
using X509Ptr = UniquePtr<X509>;
using X509ReqPtr = UniquePtr<X509_REQ>;
using X509CrlPtr = UniquePtr<X509_CRL>;
using X509RevokedPtr = UniquePtr<X509_REVOKED>;
using X509NamePtr = UniquePtr<X509_NAME>;
using X509ExtPtr = UniquePtr<X509_EXTENSION>;
using Asn1StringPtr = UniquePtr<ASN1_STRING>;
using Asn1IntegerPtr = UniquePtr<ASN1_INTEGER>;
using Asn1OctetPtr = UniquePtr<ASN1_OCTET_STRING>;
using Asn1BitStringPtr = UniquePtr<ASN1_BIT_STRING>;
using Asn1EnumPtr = UniquePtr<ASN1_ENUMERATED>;
using Asn1TimePtr = UniquePtr<ASN1_TIME>;
using Asn1ObjectPtr = UniquePtr<ASN1_OBJECT>;
using BasicConstraintsPtr = UniquePtr<BASIC_CONSTRAINTS>;
using GeneralNamesPtr = UniquePtr<GENERAL_NAMES>;
using GeneralNamePtr = UniquePtr<GENERAL_NAME>;
using AiaPtr = UniquePtr<AUTHORITY_INFO_ACCESS>;
using CrlDpPtr = UniquePtr<CRL_DIST_POINTS>;
using EkuPtr = UniquePtr<EXTENDED_KEY_USAGE>;
using AkidPtr = UniquePtr<AUTHORITY_KEYID>;
using OcspReqPtr = UniquePtr<OCSP_REQUEST>;
using OcspRespPtr = UniquePtr<OCSP_RESPONSE>;
using OcspBasicPtr = UniquePtr<OCSP_BASICRESP>;

// Drains OpenSSL's thread-local error queue into one line ("" if empty).
std::string DrainErrors();
// Empties the thread-local OpenSSL error queue.
void ClearErrors();
// `make_error(context: <OpenSSL errors>)`; always drains the queue so that
// stale errors never leak into a later, unrelated report.
Status Error(Status (*make_error)(std::string), std::string_view context);

// A read-only memory BIO over `data` (which must outlive the BIO).
BioPtr ReadBio(std::string_view data);
// A fresh, empty memory BIO for writing.
BioPtr WriteBio();
// The bytes written so far to a memory BIO.
std::string BioContents(BIO* bio);

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

}  // namespace vt::ossl
