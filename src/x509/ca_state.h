// Internal to the x509 module: what a Ca holds.
#pragma once

#include <optional>

#include "x509/ca.h"
#include "x509/cert_builder.h"

namespace vt::x509 {

struct Ca::State {
  ossl::X509Ptr cert;
  std::string der;
  std::shared_ptr<crypto::Signer> signer;
  std::optional<crypto::PublicKey> key;  // the certificate's key
  std::optional<internal::ThrowawayKey> throwaway;
  CaUrls urls;
  SubjectName name;
  const Clock* clock = nullptr;
  Rng* rng = nullptr;
  bool is_root = false;

  internal::IssuerContext Context() const {
    internal::IssuerContext ctx;
    ctx.cert = cert.get();
    ctx.cert_der = der;
    ctx.issuer_key = &*key;
    ctx.signer = signer.get();
    ctx.throwaway = &*throwaway;
    ctx.urls = &urls;
    ctx.clock = clock;
    ctx.rng = rng;
    return ctx;
  }
};

}  // namespace vt::x509
