// Internal to the c2pa module: building the manifest store vtrust writes
// (C2PA 2.2 §11: store > one standard manifest > assertions, claim, signature).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "c2pa/c2pa.h"
#include "c2pa/cbor_internal.h"

namespace vt::c2pa::internal {

inline constexpr std::string_view kLabelActions = "c2pa.actions.v2";
inline constexpr std::string_view kLabelDataHash = "c2pa.hash.data";
inline constexpr std::string_view kLabelBmffHash = "c2pa.hash.bmff.v3";
inline constexpr std::string_view kLabelIngredient = "c2pa.ingredient.v3";
inline constexpr std::string_view kLabelRegistry = "com.vtrust.registry";
inline constexpr std::string_view kLabelIdentity = "cawg.identity";
inline constexpr std::string_view kLabelClaim = "c2pa.claim.v2";
inline constexpr std::string_view kLabelClaimV1 = "c2pa.claim";  // read only
inline constexpr std::string_view kLabelSignature = "c2pa.signature";
inline constexpr std::string_view kLabelAssertions = "c2pa.assertions";
inline constexpr std::string_view kAssertionUriPrefix = "self#jumbf=c2pa.assertions/";

struct Exclusion {
  uint64_t start = 0;
  uint64_t length = 0;
};

// The hard binding to write. Data hash: `exclusions` (at most one for vtrust's
// writers) and the SHA-256. BMFF hash: `bmff` true and the SHA-256 computed
// with the default xpath exclusions (C2PA 2.2 §18.6).
struct HardBinding {
  bool bmff = false;
  std::vector<Exclusion> exclusions;
  std::string hash = std::string(32, '\0');
};

struct HashedUri {
  std::string url;
  std::string hash;  // SHA-256 of the assertion superbox payload (§8.4.2.3)
};

struct Assertion {
  std::string label;
  std::string box;  // the serialized jumb superbox
};

// A CBOR assertion superbox (type "cbor", one `cbor` content box) holding
// `content` in deterministic encoding, or as built when `canonical` is false.
Assertion CborAssertion(std::string label, const cbor::Item& content, bool canonical = true);
HashedUri HashAssertion(const Assertion& a);
cbor::Item HashedUriItem(const HashedUri& h);

// The assertions of §18 that vtrust writes. Hard bindings have a constant size
// for any exclusion values (the "pad" field absorbs the integer widths).
Assertion ActionsAssertion(const SignOptions& o, const std::vector<HashedUri>& ingredients);
Assertion HardBindingAssertion(const HardBinding& b);
Assertion IngredientAssertion(const Ingredient& in, std::string label);
StatusOr<Assertion> RegistryAssertion(const SignOptions& o);

// The manifest URN "urn:c2pa:<uuid>" from 16 bytes (RFC 4122 v4 bits set).
std::string ManifestLabel(const std::string& uuid_bytes);

// Builds the whole store. With `placeholder` true no key is used: the claim
// and identity signatures are zero bytes of their reserved sizes, so the
// result has the final size for sizing the container. Otherwise signs.
StatusOr<std::string> BuildStore(const SignOptions& o, const HardBinding& binding,
                                 bool placeholder);

// The CAWG identity assertion (CAWG identity 1.1 §5) over `referenced`,
// signed with o.identity_signer (or a zero placeholder of the same size).
StatusOr<Assertion> IdentityAssertion(const SignOptions& o,
                                      const std::vector<HashedUri>& referenced, bool placeholder);

}  // namespace vt::c2pa::internal
