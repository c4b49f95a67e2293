// ECDSA signature encodings: the DER ECDSA-Sig-Value of X.509 (RFC 3279
// §2.2.3, what Signer::Sign returns for P-256) and the fixed-width r‖s form of
// IEEE P1363 that COSE requires (RFC 9053 §2.1).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::crypto {

// Converts a DER ECDSA-Sig-Value to r‖s, each integer left-padded with zeros to
// `field_len` bytes (32 for P-256). InvalidArgument if `der` does not parse, has
// trailing bytes, or an integer is negative or longer than `field_len`.
StatusOr<std::string> EcdsaDerToRaw(std::string_view der, size_t field_len);

// Converts r‖s (2 * field_len bytes, as COSE carries it) to a DER
// ECDSA-Sig-Value. InvalidArgument if the length is odd or zero.
StatusOr<std::string> EcdsaRawToDer(std::string_view raw);

}  // namespace vt::crypto
