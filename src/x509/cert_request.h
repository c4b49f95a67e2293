// Plain types shared by the issuance API (ca.h) and its internals.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "x509/idcard_ext.h"

namespace vt::x509 {

// Distinguished name parts vtrust writes (UTF8String, at most 64 characters
// each): organizationName then commonName.
struct SubjectName {
  std::string common_name;
  std::string organization;  // empty = omitted (profiles may require it)
};

// Where relying parties find revocation data and the issuer certificate;
// written into AIA and CRL DP of revocable end-entity certificates.
struct CaUrls {
  std::string ocsp_url;        // http://.../ocsp (plain HTTP, RFC 6960 App. A)
  std::string ca_issuers_url;  // http(s)://.../issuing-ca.der
  std::string crl_url;         // http(s)://.../issuing-ca.crl
};

// What the caller asks for; the profile decides everything else.
struct CertRequest {
  SubjectName subject;
  std::vector<std::string> san_uris;    // ASCII URIs
  std::vector<std::string> san_emails;  // ASCII rfc822Names
  std::optional<IdCardExtension> id_card;
  std::chrono::seconds lifetime{0};  // 0 = the profile's default
};

struct IssuedCert {
  std::string serial_hex;  // lower-case, 32 hex digits (16 octets)
  std::string der;
  TimePoint not_before;
  TimePoint not_after;
};

// Called with the new serial after the lint passed and before the real
// signature; a non-OK result aborts issuance and nothing is signed (Boulder's
// "store the serial before signing").
using StoreSerialFn = std::function<Status(const std::string& serial_hex)>;

}  // namespace vt::x509
