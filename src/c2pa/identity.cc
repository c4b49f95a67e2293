// The CAWG identity assertion with an X.509 credential (CAWG identity
// assertion 1.1 §5 structure, §8.2 cawg.x509.cose).
#include "c2pa/cose_internal.h"
#include "c2pa/manifest_internal.h"

namespace vt::c2pa::internal {
namespace {

using cbor::Item;

// pad1 is fixed: the signature is already padded to its reservation, so the
// assertion's size does not change between the placeholder and the real one
// (the role CAWG §5.2 gives pad1/pad2).
constexpr size_t kPad1 = 16;

}  // namespace

StatusOr<Assertion> IdentityAssertion(const SignOptions& o,
                                      const std::vector<HashedUri>& referenced, bool placeholder) {
  std::vector<Item> refs;
  for (const auto& h : referenced) refs.push_back(HashedUriItem(h));
  std::string payload = cbor::Obj()
                            .Add("referenced_assertions", Item::Array(std::move(refs)))
                            .Add("sig_type", Item::Text("cawg.x509.cose"))
                            .Build()
                            .EncodeAsBuilt();
  cose::SignParams p;
  p.signer = o.identity_signer;
  p.chain_der = o.identity_chain_der;
  p.reserve = cose::ReserveSize(p);
  std::string signature(p.reserve, '\0');
  if (!placeholder) {
    // §8.2.1: COSE_Sign1 over the CBOR signer_payload, which the assertion
    // already carries, so the payload is detached (as c2pa-rs writes it).
    VT_ASSIGN_OR_RETURN(signature, cose::Sign1(p, payload, /*attach=*/false));
  }
  VT_ASSIGN_OR_RETURN(Item signer_payload, Item::Decode(payload));
  Item content = cbor::Obj()
                     .Add("signer_payload", std::move(signer_payload))
                     .Add("signature", Item::Bytes(signature))
                     .Add("pad1", Item::Bytes(std::string(kPad1, '\0')))
                     .Build();
  // Field order as c2pa-rs serializes the structures (signer_payload:
  // referenced_assertions, sig_type; hashed URIs: url, hash), since it
  // re-serializes signer_payload to check the signature.
  return CborAssertion(std::string(kLabelIdentity), content, /*canonical=*/false);
}

}  // namespace vt::c2pa::internal
