#include "x509/verdict.h"

#include "base/encoding.h"
#include "base/jcs.h"
#include "x509/cert.h"

namespace vt::x509 {
namespace {

Status Bad(std::string msg) {
  return InvalidArgumentError("verdict: " + std::move(msg)).WithField("verdict");
}

Json ToJson(const Verdict& v, crypto::KeyAlg alg) {
  Json j{{"type", kVerdictType},           {"verdict", v.valid ? "valid" : "invalid"},
         {"challenge_id", v.challenge_id}, {"character_id", v.character_id},
         {"audience", v.audience},         {"card_serial", v.card_serial},
         {"time", FormatRfc3339(v.time)},  {"alg", crypto::KeyAlgName(alg)}};
  if (!v.valid) j["reason"] = v.reason;
  return j;
}

StatusOr<std::string> SigningInput(const Json& unsigned_json) {
  VT_ASSIGN_OR_RETURN(std::string jcs, Canonicalize(unsigned_json));
  return std::string(kVerdictType) + "\n" + jcs;
}

StatusOr<std::string> Str(const Json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return Bad(std::string(name) + " missing");
  return it->get<std::string>();
}

StatusOr<Verdict> FromJson(const Json& j) {
  Verdict v;
  VT_ASSIGN_OR_RETURN(std::string type, Str(j, "type"));
  VT_ASSIGN_OR_RETURN(std::string verdict, Str(j, "verdict"));
  if (type != kVerdictType) return Bad("unknown type");
  if (verdict != "valid" && verdict != "invalid") return Bad("verdict must be valid or invalid");
  v.valid = verdict == "valid";
  VT_ASSIGN_OR_RETURN(v.challenge_id, Str(j, "challenge_id"));
  VT_ASSIGN_OR_RETURN(v.character_id, Str(j, "character_id"));
  VT_ASSIGN_OR_RETURN(v.audience, Str(j, "audience"));
  VT_ASSIGN_OR_RETURN(v.card_serial, Str(j, "card_serial"));
  VT_ASSIGN_OR_RETURN(std::string time, Str(j, "time"));
  if (!ParseRfc3339(time, &v.time)) return Bad("time is not RFC 3339");
  size_t expected = v.valid ? 7 : 8;  // "alg" and "signature" already removed
  if (!v.valid) {
    VT_ASSIGN_OR_RETURN(v.reason, Str(j, "reason"));
  }
  if (j.size() != expected) return Bad("unexpected members");
  return v;
}

}  // namespace

StatusOr<std::string> SignVerdict(const Verdict& verdict, crypto::Signer& operator_signer) {
  Json j = ToJson(verdict, operator_signer.alg());
  VT_ASSIGN_OR_RETURN(std::string input, SigningInput(j));
  VT_ASSIGN_OR_RETURN(std::string sig, operator_signer.Sign(input));
  j["signature"] = Base64UrlEncode(sig);
  return Canonicalize(j);
}

StatusOr<Verdict> VerifyVerdict(std::string_view signed_json,
                                const crypto::PublicKey& operator_key) {
  auto parsed = ParseJsonStrict(signed_json);
  if (!parsed.ok() || !parsed->is_object()) return Bad("not a JSON object");
  Json j = std::move(*parsed);
  VT_ASSIGN_OR_RETURN(std::string sig_b64, Str(j, "signature"));
  VT_ASSIGN_OR_RETURN(std::string alg, Str(j, "alg"));
  j.erase("signature");
  auto sig = Base64UrlDecode(sig_b64);
  if (!sig.ok()) return Bad("signature is not base64url");
  if (alg != crypto::KeyAlgName(operator_key.alg())) {
    return PermissionDeniedError("verdict: algorithm does not match the operator key")
        .WithField("signature");
  }
  VT_ASSIGN_OR_RETURN(std::string input, SigningInput(j));
  if (!operator_key.Verify(input, *sig).ok()) {
    return PermissionDeniedError("verdict: signature does not verify").WithField("signature");
  }
  j.erase("alg");
  return FromJson(j);
}

StatusOr<Verdict> VerifyVerdictWithCertificate(std::string_view signed_json,
                                               std::string_view operator_cert) {
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, CertificatePublicKey(operator_cert));
  return VerifyVerdict(signed_json, key);
}

}  // namespace vt::x509
