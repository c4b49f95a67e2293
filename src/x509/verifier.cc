#include "x509/verifier.h"

#include <optional>

#include "base/encoding.h"
#include "crypto/ossl.h"
#include "x509/cert.h"
#include "x509/der.h"
#include "x509/sign_internal.h"

namespace vt::x509 {

struct LeafVerifier::State {
  std::optional<crypto::PublicKey> key;
  std::string algorithm_der;  // the issuer's signature AlgorithmIdentifier
  std::string subject_der;    // the issuing CA's subject Name, as encoded
  TimePoint not_before;
  TimePoint not_after;
};

namespace {

namespace der = internal::der;

Status Bad(std::string msg) {
  return InvalidArgumentError("certificate: " + std::move(msg)).WithField("certificate");
}

int Digits(std::string_view s, size_t at, size_t n) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// RFC 5280 §4.1.2.5 times: UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ.
std::optional<TimePoint> ParseTime(const der::Element& e) {
  std::string_view s = e.content;
  bool utc = e.tag == 0x17;
  if ((!utc && e.tag != der::kGeneralizedTime) || s.size() != (utc ? 13u : 15u) ||
      s.back() != 'Z') {
    return std::nullopt;
  }
  size_t y = utc ? 2 : 4;
  int year = Digits(s, 0, y);
  if (utc && year >= 0) year += year >= 50 ? 1900 : 2000;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = Digits(s, y, 2) - 1;
  tm.tm_mday = Digits(s, y + 2, 2);
  tm.tm_hour = Digits(s, y + 4, 2);
  tm.tm_min = Digits(s, y + 6, 2);
  tm.tm_sec = Digits(s, y + 8, 2);
  if (year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

struct TbsFields {
  std::string_view serial;
  std::string_view algorithm;
  std::string_view issuer;
  TimePoint not_before;
  TimePoint not_after;
};

bool ParseTbs(std::string_view tbs, TbsFields* out) {
  der::Element seq, version, serial, alg, issuer, validity, nb, na;
  if (!der::Read(&tbs, &seq) || !tbs.empty()) return false;
  std::string_view body = seq.content;
  if (!der::Read(&body, &version) || version.tag != 0xa0 ||
      version.content != std::string_view("\x02\x01\x02", 3)) {
    return false;  // v3 only
  }
  if (!der::Read(&body, &serial) || serial.tag != der::kInteger || serial.content.empty() ||
      !der::Read(&body, &alg) || !der::Read(&body, &issuer) || issuer.tag != der::kSequence ||
      !der::Read(&body, &validity) || validity.tag != der::kSequence) {
    return false;
  }
  std::string_view times = validity.content;
  if (!der::Read(&times, &nb) || !der::Read(&times, &na) || !times.empty()) return false;
  auto before = ParseTime(nb);
  auto after = ParseTime(na);
  if (!before || !after) return false;
  out->serial = serial.content;
  out->algorithm = alg.full;
  out->issuer = issuer.full;
  out->not_before = *before;
  out->not_after = *after;
  return true;
}

}  // namespace

StatusOr<LeafVerifier> LeafVerifier::Create(std::string_view issuing_cert,
                                            std::string_view root_cert, TimePoint at) {
  VT_ASSIGN_OR_RETURN(std::string issuing, CertificateToDer(issuing_cert));
  VT_RETURN_IF_ERROR(VerifyCertificateChain(issuing, {}, {std::string(root_cert)}, at));
  auto x = ossl::ParseDerExact<ossl::X509Ptr>(issuing, d2i_X509);
  if (!x) return Bad("issuing CA does not parse");
  auto state = std::make_shared<State>();
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, CertificatePublicKey(issuing));
  state->algorithm_der = internal::SignatureAlgorithmDer(key.alg());
  state->key = std::move(key);
  state->subject_der = ossl::ToDer(X509_get_subject_name(x.get()), i2d_X509_NAME);
  der::SignedParts parts;
  TbsFields fields;
  if (!der::SplitSigned(issuing, &parts) || !ParseTbs(parts.tbs, &fields)) {
    return Bad("issuing CA is not DER");
  }
  state->not_before = fields.not_before;
  state->not_after = fields.not_after;
  return LeafVerifier(std::move(state));
}

StatusOr<VerifiedLeaf> LeafVerifier::Verify(std::string_view leaf_der, TimePoint at) const {
  der::SignedParts parts;
  TbsFields f;
  if (!der::SplitSigned(leaf_der, &parts) || !ParseTbs(parts.tbs, &f)) return Bad("not DER");
  if (parts.algorithm != state_->algorithm_der || f.algorithm != state_->algorithm_der) {
    return Bad("signature algorithm is not the issuing CA's");
  }
  if (f.issuer != state_->subject_der) return Bad("not issued by this CA (issuer name)");
  if (at < f.not_before || at > f.not_after) return Bad("not within its validity period");
  if (at < state_->not_before || at > state_->not_after) return Bad("the issuing CA has expired");
  if (!state_->key->Verify(parts.tbs, parts.signature).ok()) return Bad("signature mismatch");
  VerifiedLeaf out;
  std::string_view serial = f.serial;
  if (serial.size() > 1 && serial[0] == '\0') serial.remove_prefix(1);
  out.serial_hex = HexEncode(serial);
  out.not_before = f.not_before;
  out.not_after = f.not_after;
  return out;
}

}  // namespace vt::x509
