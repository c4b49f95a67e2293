// The manifest store vtrust writes (C2PA 2.2 §11.1, §10 claim v2, §13.2).
#include "c2pa/cose_internal.h"
#include "c2pa/jumbf_internal.h"
#include "c2pa/manifest_internal.h"

namespace vt::c2pa::internal {
namespace {

using cbor::Item;

// §6.4: the second instance of a label is "<label>__1", then "__2"...
std::string Instance(std::string_view label, size_t i) {
  return i == 0 ? std::string(label) : std::string(label) + "__" + std::to_string(i);
}

cose::SignParams ClaimParams(const SignOptions& o) {
  cose::SignParams p;
  p.signer = o.claim_signer;
  p.chain_der = o.claim_chain_der;
  p.ocsp_der = o.ocsp_der;
  p.timestamper = o.timestamper;
  p.timestamp_reserve = o.timestamp_reserve;
  p.reserve = cose::ReserveSize(p);
  return p;
}

StatusOr<std::vector<Assertion>> Assertions(const SignOptions& o, const HardBinding& binding,
                                            bool placeholder) {
  std::vector<Assertion> out;
  std::vector<HashedUri> ingredient_uris;
  for (size_t i = 0; i < o.ingredients.size(); ++i) {
    out.push_back(IngredientAssertion(o.ingredients[i], Instance(kLabelIngredient, i)));
    ingredient_uris.push_back(HashAssertion(out.back()));
  }
  out.push_back(ActionsAssertion(o, ingredient_uris));
  out.push_back(HardBindingAssertion(binding));
  VT_ASSIGN_OR_RETURN(Assertion registry, RegistryAssertion(o));
  out.push_back(std::move(registry));
  if (o.identity_signer != nullptr) {
    // CAWG identity 1.1 §5.1: the identity signs the hard binding and the
    // other assertions made so far (never itself).
    std::vector<HashedUri> referenced;
    for (const auto& a : out) referenced.push_back(HashAssertion(a));
    VT_ASSIGN_OR_RETURN(Assertion identity, IdentityAssertion(o, referenced, placeholder));
    out.push_back(std::move(identity));
  }
  return out;
}

std::string Claim(const SignOptions& o, const std::string& label,
                  const std::vector<Assertion>& assertions) {
  std::vector<Item> created;
  for (const auto& a : assertions) created.push_back(HashedUriItem(HashAssertion(a)));
  std::string uuid = label.substr(std::string_view("urn:c2pa:").size());
  cbor::Obj claim;
  claim.Put("instanceID", Item::Text("xmp:iid:" + uuid));
  claim.Put("claim_generator_info", cbor::Obj()
                                        .Add("name", Item::Text(o.claim_generator_name))
                                        .Add("version", Item::Text(o.claim_generator_version))
                                        .Build());
  claim.Put("signature",
            Item::Text("self#jumbf=/c2pa/" + label + "/" + std::string(kLabelSignature)));
  claim.Put("created_assertions", Item::Array(std::move(created)));
  claim.Put("alg", Item::Text("sha256"));
  if (!o.title.empty()) claim.Put("dc:title", Item::Text(o.title));
  return std::move(claim).Build().Encode();
}

}  // namespace

StatusOr<std::string> BuildStore(const SignOptions& o, const HardBinding& binding,
                                 bool placeholder) {
  if (o.claim_signer == nullptr || o.claim_chain_der.empty()) {
    return InvalidArgumentError("a claim signer and its certificate chain are required");
  }
  if (o.uuid_bytes.size() != 16) {
    return InvalidArgumentError("uuid_bytes must be 16 fresh random bytes");
  }
  if (o.identity_signer != nullptr && o.identity_chain_der.empty()) {
    return InvalidArgumentError("the identity signer needs its certificate chain");
  }
  std::string label = ManifestLabel(o.uuid_bytes);
  VT_ASSIGN_OR_RETURN(std::vector<Assertion> assertions, Assertions(o, binding, placeholder));
  std::string claim = Claim(o, label, assertions);
  cose::SignParams params = ClaimParams(o);
  std::string signature(params.reserve, '\0');
  if (!placeholder) {
    // §13.2: detached payload; the signed bytes are the claim's cbor box content.
    VT_ASSIGN_OR_RETURN(signature, cose::Sign1(params, claim, /*attach=*/false));
  }
  std::vector<std::string> boxes;
  for (const auto& a : assertions) boxes.push_back(a.box);
  std::vector<std::string> manifest;
  manifest.push_back(jumbf::MakeSuperBox(jumbf::kAssertionStore, kLabelAssertions, boxes));
  manifest.push_back(
      jumbf::MakeSuperBox(jumbf::kClaim, kLabelClaim, {jumbf::MakeBox(jumbf::kCbor, claim)}));
  manifest.push_back(jumbf::MakeSuperBox(jumbf::kSignature, kLabelSignature,
                                         {jumbf::MakeBox(jumbf::kCbor, signature)}));
  std::string m = jumbf::MakeSuperBox(jumbf::kManifest, label, manifest);
  return jumbf::MakeSuperBox(jumbf::kStore, "c2pa", {m});
}

}  // namespace vt::c2pa::internal
