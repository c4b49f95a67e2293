// The standard assertions vtrust writes (C2PA 2.2 §18) and the custom
// com.vtrust.registry assertion.
#include "base/encoding.h"
#include "c2pa/jumbf_internal.h"
#include "c2pa/manifest_internal.h"
#include "crypto/digest.h"

namespace vt::c2pa::internal {
namespace {

using cbor::Item;

// Pad so that a hard-binding assertion has one size whatever its integers
// are: 16 bytes of head savings (two u64s) + 24 so the pad bstr head stays one
// byte wide (24..40 bytes of zeros) - C2PA 2.2 §18.5.2 "pad".
constexpr size_t kMinPad = 24;
// The extended type of the C2PA uuid box in ISO BMFF (C2PA 2.2 §A.5).
constexpr char kBmffUuidHex[] = "d8fec3d61b0e483c92975828877ec481";

Item SoftwareAgent(const SignOptions& o) {
  return cbor::Obj()
      .Add("name", Item::Text(o.claim_generator_name))
      .Add("version", Item::Text(o.claim_generator_version))
      .Build();
}

Item ExclusionsItem(const std::vector<Exclusion>& ex) {
  std::vector<Item> a;
  for (const auto& e : ex) {
    a.push_back(
        cbor::Obj().Add("start", Item::Uint(e.start)).Add("length", Item::Uint(e.length)).Build());
  }
  return Item::Array(std::move(a));
}

Item HardBindingItem(const HardBinding& b, size_t pad) {
  std::vector<std::pair<std::string, Item>> m;
  m.emplace_back("alg", Item::Text("sha256"));
  m.emplace_back("hash", Item::Bytes(b.hash));
  if (b.bmff) {
    // §18.6.2 default exclusions: the C2PA uuid box (by its extended type at
    // offset 8), ftyp, mfra, free and skip.
    std::vector<Item> ex;
    for (const char* xpath : {"/uuid", "/ftyp", "/mfra", "/free", "/skip"}) {
      std::vector<std::pair<std::string, Item>> e;
      e.emplace_back("xpath", Item::Text(xpath));
      if (std::string_view(xpath) == "/uuid") {
        std::vector<Item> data;
        data.push_back(cbor::Obj()
                           .Add("offset", Item::Uint(8))
                           .Add("value", Item::Bytes(HexDecode(kBmffUuidHex).value()))
                           .Build());
        e.emplace_back("data", Item::Array(std::move(data)));
      }
      ex.push_back(Item::TextMap(std::move(e)));
    }
    m.emplace_back("exclusions", Item::Array(std::move(ex)));
    m.emplace_back("name", Item::Text("jumbf manifest"));
  } else {
    m.emplace_back("pad", Item::Bytes(std::string(pad, '\0')));
    m.emplace_back("exclusions", ExclusionsItem(b.exclusions));
    m.emplace_back("name", Item::Text("jumbf manifest"));
  }
  return Item::TextMap(std::move(m));
}

}  // namespace

Assertion CborAssertion(std::string label, const Item& content, bool canonical) {
  std::string cbor = canonical ? content.Encode() : content.EncodeAsBuilt();
  std::string box = jumbf::MakeSuperBox(jumbf::kCbor, label, {jumbf::MakeBox(jumbf::kCbor, cbor)});
  return Assertion{std::move(label), std::move(box)};
}

HashedUri HashAssertion(const Assertion& a) {
  // §8.4.2.3: the hash covers the superbox without its own 8-byte header.
  return HashedUri{std::string(kAssertionUriPrefix) + a.label,
                   crypto::Sha256(std::string_view(a.box).substr(8))};
}

Item HashedUriItem(const HashedUri& h) {
  return cbor::Obj().Add("url", Item::Text(h.url)).Add("hash", Item::Bytes(h.hash)).Build();
}

Assertion ActionsAssertion(const SignOptions& o, const std::vector<HashedUri>& ingredients) {
  std::vector<Item> actions;
  // §18.14.2: the first action of a standard manifest is c2pa.created.
  actions.push_back(cbor::Obj()
                        .Add("action", Item::Text("c2pa.created"))
                        .Add("digitalSourceType", Item::Text(o.digital_source_type))
                        .Add("softwareAgent", SoftwareAgent(o))
                        .Build());
  if (!ingredients.empty()) {
    // componentOf ingredients are "placed" into the new asset (§18.14.4).
    std::vector<Item> refs;
    for (const auto& h : ingredients) refs.push_back(HashedUriItem(h));
    Item params = cbor::Obj().Add("ingredients", Item::Array(std::move(refs))).Build();
    actions.push_back(cbor::Obj()
                          .Add("action", Item::Text("c2pa.placed"))
                          .Add("parameters", std::move(params))
                          .Build());
  }
  return CborAssertion(std::string(kLabelActions),
                       cbor::Obj().Add("actions", Item::Array(std::move(actions))).Build());
}

Assertion HardBindingAssertion(const HardBinding& b) {
  // Size with the widest integers, then pad the real values up to it.
  HardBinding widest = b;
  for (auto& e : widest.exclusions) e = Exclusion{UINT64_MAX, UINT64_MAX};
  size_t target = HardBindingItem(widest, kMinPad).Encode().size();
  size_t bare = HardBindingItem(b, kMinPad).Encode().size();
  std::string label(b.bmff ? kLabelBmffHash : kLabelDataHash);
  return CborAssertion(label, HardBindingItem(b, kMinPad + (target - bare)));
}

Assertion IngredientAssertion(const Ingredient& in, std::string label) {
  std::vector<std::pair<std::string, Item>> m;
  m.emplace_back("dc:title", Item::Text(in.title));
  m.emplace_back("dc:format", Item::Text(in.format));
  m.emplace_back("relationship", Item::Text(in.relationship));
  if (!in.work_id.empty() || !in.content_sha256.empty()) {
    // vtrust extension: the registered work this ingredient is (see docs/c2pa.md).
    std::vector<std::pair<std::string, Item>> w;
    if (!in.work_id.empty()) w.emplace_back("id", Item::Text(in.work_id));
    if (!in.content_sha256.empty()) {
      w.emplace_back("alg", Item::Text("sha256"));
      w.emplace_back("hash", Item::Bytes(in.content_sha256));
    }
    m.emplace_back("com.vtrust.work", Item::TextMap(std::move(w)));
  }
  return CborAssertion(std::move(label), Item::TextMap(std::move(m)));
}

StatusOr<Assertion> RegistryAssertion(const SignOptions& o) {
  VT_ASSIGN_OR_RETURN(Item map, cbor::FromJson(o.registry_json));
  if (!cbor::View(map.get()).is_map()) {
    return InvalidArgumentError("registry_json must be a JSON object");
  }
  return CborAssertion(std::string(kLabelRegistry), map);
}

std::string ManifestLabel(const std::string& uuid_bytes) {
  std::string u = uuid_bytes;
  u.resize(16, '\0');
  u[6] = static_cast<char>((u[6] & 0x0F) | 0x40);  // version 4
  u[8] = static_cast<char>((u[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string h = HexEncode(u);
  return "urn:c2pa:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace vt::c2pa::internal
