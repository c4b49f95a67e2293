// Internal to the c2pa module: COSE_Sign1 (RFC 9052 §4.2) as C2PA 2.2 §13.2
// and the CAWG X.509 identity signature use it. Protected header
// {1: alg, 33: x5chain}; x5chain is one bstr for a single certificate, an
// array otherwise (end-entity first, no root). ECDSA signatures are raw r‖s
// (RFC 9053 §2.1). The unprotected header may carry rVals (stapled OCSP),
// sigTst2 (an RFC 3161 token) and pad, which sizes the whole structure to an
// exact reservation.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/signer.h"

namespace vt::c2pa::cose {

inline constexpr int64_t kAlgEs256 = -7;
inline constexpr int64_t kAlgEdDsa = -8;
inline constexpr int64_t kAlgEs384 = -35;  // verification only
inline constexpr int64_t kAlgEs512 = -36;
inline constexpr int64_t kAlgPs256 = -37;
inline constexpr int64_t kAlgPs384 = -38;
inline constexpr int64_t kAlgPs512 = -39;
inline constexpr int64_t kHeaderAlg = 1;
inline constexpr int64_t kHeaderX5Chain = 33;

struct SignParams {
  crypto::Signer* signer = nullptr;     // not owned; P-256 or Ed25519
  std::vector<std::string> chain_der;   // end-entity first, no root; non-empty
  std::optional<std::string> ocsp_der;  // goes to rVals.ocspVals
  // Called with CounterSignData(protected, bstr(signature)) once the signature
  // is made; its token goes to sigTst2.tstTokens[0].val.
  std::function<StatusOr<std::string>(std::string_view)> timestamper;
  size_t timestamp_reserve = 0;  // added to ReserveSize when timestamper is set
  // When non-zero, the output is padded (unprotected "pad") to exactly this
  // many bytes; ResourceExhausted if it cannot fit.
  size_t reserve = 0;
};

// The reservation C2PA writers use for a signature with these params: the
// certificates, OCSP and timestamp sizes plus 4096 bytes of slack.
size_t ReserveSize(const SignParams& params);

// COSE_Sign1_Tagged over `payload`. With `attach` false the payload is
// detached (the payload field is null), as the C2PA claim signature requires.
// InvalidArgument for an unsupported key (SM2) or an empty chain; the signer's
// errors pass through.
StatusOr<std::string> Sign1(const SignParams& params, std::string_view payload, bool attach);

struct Parsed {
  int64_t alg = 0;
  std::vector<std::string> chain_der;  // EE first
  std::string protected_bytes;         // the serialized protected header
  std::optional<std::string> payload;  // when attached
  std::string signature;               // raw (r‖s or Ed25519)
  std::vector<std::string> ocsp_der;   // from rVals.ocspVals
  std::optional<std::string> tst_der;  // first sigTst2 (or v1 sigTst) token
  bool tst_v2 = false;                 // the token came from sigTst2
};

// The bytes an RFC 3161 timestamp of a COSE_Sign1 covers (C2PA 2.2
// §10.3.2.5; c2pa-rs cose_countersign_data): the Sig_structure
// ["CounterSignature", protected, h'', data] (RFC 9052 §4.4). For sigTst2,
// data is the CBOR byte string of the signature; for v1 sigTst, the payload.
std::string CounterSignData(std::string_view protected_bytes, std::string_view data);
// The message the token of `parsed` must be over (v2 or v1, see above).
std::string TimestampMessage(const Parsed& parsed, std::string_view payload);

// Parses a COSE_Sign1_Tagged (an untagged COSE_Sign1 is also accepted). InvalidArgument
// naming what is malformed: not CBOR, wrong shape, missing alg or x5chain.
StatusOr<Parsed> Parse(std::string_view cose);

// Checks the signature of `parsed` over `payload` (pass the detached payload,
// or *parsed.payload) with the end-entity certificate's key. Verifies ES256,
// ES384, ES512, PS256, PS384, PS512 and EdDSA (Ed25519); signing uses only
// ES256 and EdDSA. InvalidArgument "algorithm.unsupported: ..." for another
// alg or a key that does not fit it; InvalidArgument "signature mismatch..."
// otherwise.
Status Verify(const Parsed& parsed, std::string_view payload);

}  // namespace vt::c2pa::cose
