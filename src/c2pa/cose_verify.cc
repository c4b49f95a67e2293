// Reading and verifying COSE_Sign1 (RFC 9052 §4.2, §4.4; C2PA 2.2 §13.2.1,
// §15.7).
#include <optional>

#include "c2pa/cbor_internal.h"
#include "c2pa/cert_profile_internal.h"
#include "c2pa/cose_internal.h"
#include "crypto/ecdsa_sig.h"
#include "crypto/spki_verify.h"

namespace vt::c2pa::cose {
namespace {

using cbor::Item;
using cbor::View;

// C2PA 2.2 §13.2.1 algorithms (RFC 9053 / RFC 8230 identifiers).
std::optional<crypto::SigScheme> SchemeFor(int64_t alg) {
  switch (alg) {
    case kAlgEs256:
      return crypto::SigScheme::kEcdsaSha256;
    case kAlgEs384:
      return crypto::SigScheme::kEcdsaSha384;
    case kAlgEs512:
      return crypto::SigScheme::kEcdsaSha512;
    case kAlgPs256:
      return crypto::SigScheme::kPssSha256;
    case kAlgPs384:
      return crypto::SigScheme::kPssSha384;
    case kAlgPs512:
      return crypto::SigScheme::kPssSha512;
    case kAlgEdDsa:
      return crypto::SigScheme::kEd25519;
    default:
      return std::nullopt;
  }
}

Status Bad(std::string_view what) {
  return InvalidArgumentError("COSE_Sign1: " + std::string(what));
}

Status ReadChain(View x5, Parsed* out) {
  if (x5.is_bytes()) {
    VT_ASSIGN_OR_RETURN(std::string c, x5.Bytes("x5chain"));
    out->chain_der.push_back(std::move(c));
    return OkStatus();
  }
  if (!x5.is_array() || x5.size() == 0) return Bad("x5chain missing or empty");
  for (size_t i = 0; i < x5.size(); ++i) {
    VT_ASSIGN_OR_RETURN(std::string c, x5.At(i).Bytes("x5chain certificate"));
    out->chain_der.push_back(std::move(c));
  }
  return OkStatus();
}

// The certificate chain: label 33 in the protected bucket (C2PA 2.x); older
// writers put it unprotected, or under the deprecated text label "x5chain".
View FindChain(View prot, View unprot) {
  for (View h : {prot, unprot}) {
    if (h.GetInt(kHeaderX5Chain).valid()) return h.GetInt(kHeaderX5Chain);
    if (h.Get("x5chain").valid()) return h.Get("x5chain");
  }
  return View();
}

Status ReadHeaders(View unprot, Parsed* out) {
  VT_ASSIGN_OR_RETURN(Item prot, Item::Decode(out->protected_bytes));
  View h(prot.get());
  if (!h.is_map()) return Bad("protected header is not a map");
  VT_ASSIGN_OR_RETURN(out->alg, h.GetInt(kHeaderAlg).Int("alg"));
  return ReadChain(FindChain(h, unprot), out);
}

Status ReadUnprotected(View u, Parsed* out) {
  if (!u.is_map()) return Bad("unprotected header is not a map");
  View ocsp = u.Get("rVals").Get("ocspVals");
  for (size_t i = 0; i < ocsp.size() && ocsp.is_array(); ++i) {
    VT_ASSIGN_OR_RETURN(std::string o, ocsp.At(i).Bytes("ocspVals"));
    out->ocsp_der.push_back(std::move(o));
  }
  for (const char* label : {"sigTst2", "sigTst"}) {
    View toks = u.Get(label).Get("tstTokens");
    if (toks.is_array() && toks.size() > 0) {
      VT_ASSIGN_OR_RETURN(std::string t, toks.At(0).Get("val").Bytes("tstTokens.val"));
      out->tst_der = std::move(t);
      out->tst_v2 = label == std::string_view("sigTst2");
      break;
    }
  }
  return OkStatus();
}

}  // namespace

StatusOr<Parsed> Parse(std::string_view cose) {
  // libcbor 0.8's decoder refuses tag numbers 6..20 in the initial byte, so
  // the one-byte COSE_Sign1 tag (0xD2 = tag 18, RFC 9052 §2) is taken off here.
  if (!cose.empty() && static_cast<uint8_t>(cose[0]) == 0xD2) cose.remove_prefix(1);
  VT_ASSIGN_OR_RETURN(Item item, Item::Decode(cose));
  View v(item.get());
  if (!v.is_array() || v.size() != 4) return Bad("not a 4-element array");
  Parsed out;
  VT_ASSIGN_OR_RETURN(out.protected_bytes, v.At(0).Bytes("protected header"));
  VT_RETURN_IF_ERROR(ReadHeaders(v.At(1), &out));
  VT_RETURN_IF_ERROR(ReadUnprotected(v.At(1), &out));
  if (!v.At(2).is_null()) {
    VT_ASSIGN_OR_RETURN(std::string payload, v.At(2).Bytes("payload"));
    out.payload = std::move(payload);
  }
  VT_ASSIGN_OR_RETURN(out.signature, v.At(3).Bytes("signature"));
  return out;
}

Status Verify(const Parsed& parsed, std::string_view payload) {
  if (parsed.chain_der.empty()) return Bad("no certificate");
  std::optional<crypto::SigScheme> scheme = SchemeFor(parsed.alg);
  if (!scheme) {
    return InvalidArgumentError("algorithm.unsupported: COSE alg " + std::to_string(parsed.alg));
  }
  auto facts = internal::ReadCertFacts(parsed.chain_der[0]);
  if (!facts.ok()) return InvalidArgumentError("signature mismatch: " + facts.status().message());
  // Sig_structure (§4.4) rebuilt from the received protected bytes.
  std::vector<Item> a;
  a.push_back(Item::Text("Signature1"));
  a.push_back(Item::Bytes(parsed.protected_bytes));
  a.push_back(Item::Bytes(""));
  a.push_back(Item::Bytes(payload));
  std::string tbs = Item::Array(std::move(a)).Encode();
  std::string sig = parsed.signature;
  if (parsed.alg == kAlgEs256 || parsed.alg == kAlgEs384 || parsed.alg == kAlgEs512) {
    // RFC 9053 §2.1: r||s; OpenSSL verifies DER.
    auto der = crypto::EcdsaRawToDer(sig);
    if (!der.ok()) return InvalidArgumentError("signature mismatch: " + der.status().message());
    sig = *std::move(der);
  }
  Status st = crypto::VerifyWithSpki(facts->spki_der, *scheme, tbs, sig);
  if (!st.ok() && st.message().rfind("unsupported key", 0) == 0) {
    return InvalidArgumentError("algorithm.unsupported: certificate key does not fit alg " +
                                std::to_string(parsed.alg));
  }
  return st;
}

}  // namespace vt::c2pa::cose
