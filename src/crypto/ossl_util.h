// Internal to the crypto module: RAII owners for OpenSSL handles and the
// translation of OpenSSL's error queue into Status values. Not for other
// modules (they use key.h and signer.h).
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::crypto::internal {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
template <typename T, void (*F)(T*)>
using OsslPtr = std::unique_ptr<T, Deleter<T, F>>;

inline void FreeBio(BIO* b) { BIO_free_all(b); }
using BioPtr = OsslPtr<BIO, FreeBio>;
using EvpPkeyPtr = OsslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OsslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpMdCtxPtr = OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;

// Wraps an owned key (the caller's reference moves in) for sharing between
// copies of PublicKey/PrivateKey.
std::shared_ptr<EVP_PKEY> ShareKey(EvpPkeyPtr key);

// Drains OpenSSL's thread-local error queue into one line ("" if empty).
std::string DrainErrors();

// `make_error(context: <OpenSSL errors>)`; always drains the queue so that
// stale errors never leak into a later, unrelated report.
Status OsslError(Status (*make_error)(std::string), std::string_view context);

// A read-only memory BIO over `data` (which must outlive the BIO).
BioPtr ReadBio(std::string_view data);
// A fresh, empty memory BIO for writing, and its contents.
BioPtr WriteBio();
std::string BioContents(BIO* bio);

}  // namespace vt::crypto::internal
