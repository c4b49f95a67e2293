// OCSP responses (RFC 6960 §4.2), assembled in DER around the Signer.
#include "x509/ocsp.h"

#include "base/encoding.h"
#include "x509/der.h"
#include "x509/ocsp_internal.h"
#include "x509/sign_internal.h"

namespace vt::x509 {
namespace {

namespace der = internal::der;

// id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1.
const std::string kOcspBasicOid = der::Tlv(der::kOid, "\x2b\x06\x01\x05\x05\x07\x30\x01\x01");

TimePoint Floor(TimePoint t) { return std::chrono::time_point_cast<std::chrono::seconds>(t); }

// CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT
// RevokedInfo, unknown [2] IMPLICIT NULL }.
std::string CertStatusDer(const OcspCertStatus& s) {
  switch (s.state) {
    case OcspCertState::kGood:
      return der::ImplicitPrimitive(0, "");
    case OcspCertState::kUnknown:
      return der::ImplicitPrimitive(2, "");
    case OcspCertState::kRevoked: {
      std::string info = der::GeneralizedTime(s.revocation_time);
      if (s.reason != CrlReason::kUnspecified) {
        info += der::Explicit(0, der::SmallInteger(der::kEnumerated, static_cast<int>(s.reason)));
      }
      return der::Explicit(1, info);
    }
  }
  return der::ImplicitPrimitive(2, "");
}

std::string SingleResponseDer(const std::string& cert_id, const OcspCertStatus& status,
                              TimePoint this_update, TimePoint next_update) {
  return der::Sequence(cert_id + CertStatusDer(status) + der::GeneralizedTime(this_update) +
                       der::Explicit(0, der::GeneralizedTime(next_update)));
}

// ResponseData with ResponderID byKey ([2] EXPLICIT KeyHash), signed into a
// BasicOCSPResponse carrying the responder certificate, wrapped in a
// successful OCSPResponse.
StatusOr<std::string> SignResponse(const internal::OcspIssuerEntry& e, TimePoint produced_at,
                                   const std::string& singles, const std::string& nonce_ext) {
  std::string data = der::Explicit(2, der::Tlv(der::kOctetString, e.responder_key_id)) +
                     der::GeneralizedTime(produced_at) + der::Sequence(singles);
  if (!nonce_ext.empty()) data += der::Explicit(1, der::Sequence(nonce_ext));
  std::string tbs = der::Sequence(data);
  VT_ASSIGN_OR_RETURN(std::string sig, internal::SignVerified(*e.signer, *e.responder_key, tbs));
  std::string basic =
      der::Sequence(tbs + internal::SignatureAlgorithmDer(e.signer->alg()) + der::BitString(sig) +
                    der::Explicit(0, der::Sequence(e.responder_der)));
  std::string bytes = der::Sequence(kOcspBasicOid + der::Tlv(der::kOctetString, basic));
  return der::Sequence(der::SmallInteger(der::kEnumerated, 0) + der::Explicit(0, bytes));
}

StatusOr<std::string> CertIdDer(const internal::OcspIssuerEntry& e, const std::string& serial_hex,
                                OcspHash hash) {
  auto serial = HexDecode(serial_hex);
  if (!serial.ok() || serial->empty() || serial->size() > 20) {
    return InvalidArgumentError("serial must be 1..20 octets of hex").WithField("serial");
  }
  int h = static_cast<int>(hash);
  std::string alg =
      hash == OcspHash::kSha1
          ? der::Sequence(der::Tlv(der::kOid, "\x2b\x0e\x03\x02\x1a") + der::Tlv(der::kNull, ""))
          : der::Sequence(der::Tlv(der::kOid, "\x60\x86\x48\x01\x65\x03\x04\x02\x01") +
                          der::Tlv(der::kNull, ""));
  return der::Sequence(alg + der::Tlv(der::kOctetString, e.name_hash[h]) +
                       der::Tlv(der::kOctetString, e.key_hash[h]) + der::UnsignedInteger(*serial));
}

OcspResponseStatus StatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      return OcspResponseStatus::kMalformedRequest;
    case StatusCode::kPermissionDenied:
      return OcspResponseStatus::kUnauthorized;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kResourceExhausted:
      return OcspResponseStatus::kTryLater;
    default:
      return OcspResponseStatus::kInternalError;
  }
}

}  // namespace

StatusOr<OcspResponder> OcspResponder::Create(std::vector<OcspIssuer> issuers, const Clock& clock,
                                              std::chrono::seconds validity) {
  if (issuers.empty()) return InvalidArgumentError("no issuers").WithField("issuers");
  if (validity.count() <= 0) return InvalidArgumentError("validity must be positive");
  auto state = std::make_shared<State>();
  for (const auto& issuer : issuers) {
    VT_ASSIGN_OR_RETURN(auto entry, internal::MakeOcspIssuerEntry(issuer));
    state->issuers.push_back(std::move(entry));
  }
  state->clock = &clock;
  state->validity = validity;
  return OcspResponder(std::move(state));
}

StatusOr<OcspRequestInfo> OcspResponder::ParseRequest(std::string_view request_der) const {
  VT_ASSIGN_OR_RETURN(auto parsed, internal::ParseOcspRequest(*state_, request_der));
  return parsed.info;
}

std::string OcspResponder::Respond(std::string_view request_der,
                                   const OcspStatusLookup& lookup) const {
  auto parsed = internal::ParseOcspRequest(*state_, request_der);
  if (!parsed.ok()) return ErrorResponse(StatusFor(parsed.status()));
  TimePoint now = Floor(state_->clock->Now());
  std::string singles;
  for (size_t i = 0; i < parsed->info.items.size(); ++i) {
    const std::string& serial = parsed->info.items[i].serial_hex;
    OcspCertStatus status;
    if (!serial.empty()) {
      auto found = lookup(parsed->info.issuer_index, serial);
      if (!found.ok()) return ErrorResponse(StatusFor(found.status()));
      status = *found;
    }
    singles += SingleResponseDer(parsed->cert_ids[i], status, now, now + state_->validity);
  }
  const auto& entry = state_->issuers[parsed->info.issuer_index];
  auto signed_response = SignResponse(entry, now, singles, parsed->nonce_extension);
  if (!signed_response.ok()) return ErrorResponse(StatusFor(signed_response.status()));
  return *signed_response;
}

StatusOr<std::string> OcspResponder::SignSingleResponse(
    size_t issuer_index, const std::string& serial_hex, const OcspCertStatus& status,
    TimePoint this_update, TimePoint next_update, OcspHash hash) const {
  if (issuer_index >= state_->issuers.size()) {
    return InvalidArgumentError("no such issuer").WithField("issuer_index");
  }
  if (next_update <= this_update) {
    return InvalidArgumentError("nextUpdate must follow thisUpdate").WithField("next_update");
  }
  const auto& entry = state_->issuers[issuer_index];
  VT_ASSIGN_OR_RETURN(std::string cert_id, CertIdDer(entry, serial_hex, hash));
  std::string single = SingleResponseDer(cert_id, status, Floor(this_update), Floor(next_update));
  return SignResponse(entry, Floor(state_->clock->Now()), single, "");
}

std::string OcspResponder::ErrorResponse(OcspResponseStatus status) {
  return der::Sequence(der::SmallInteger(der::kEnumerated, static_cast<int>(status)));
}

size_t OcspResponder::issuer_count() const { return state_->issuers.size(); }

}  // namespace vt::x509
