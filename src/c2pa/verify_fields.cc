// Reading the manifest fields vtrust reports: actions (C2PA 2.2 §18.14),
// ingredients (§18.15), the claim title and generator, com.vtrust.registry.
#include "c2pa/manifest_internal.h"
#include "c2pa/verify_internal.h"

namespace vt::c2pa::internal {
namespace {

using cbor::View;

std::string TextOr(View v, std::string fallback = "") {
  return v.is_text() ? v.Text("").value() : fallback;
}

void ReadActions(const ActiveManifest& m, VerifyReport* r) {
  const jumbf::SuperBox* a = m.Assertion(kLabelActions);
  if (a == nullptr) a = m.Assertion("c2pa.actions");
  if (a == nullptr) return;
  auto content = ActiveManifest::Content(*a);
  if (!content.ok()) return;
  View actions = View(content->get()).Get("actions");
  for (size_t i = 0; actions.is_array() && i < actions.size(); ++i) {
    r->actions.push_back(
        {TextOr(actions.At(i).Get("action")), TextOr(actions.At(i).Get("digitalSourceType"))});
  }
}

void ReadIngredient(const jumbf::SuperBox& a, VerifyReport* r) {
  auto content = ActiveManifest::Content(a);
  if (!content.ok()) return;
  View v(content->get());
  Ingredient in;
  in.title = TextOr(v.Get("dc:title"));
  in.format = TextOr(v.Get("dc:format"));
  in.relationship = TextOr(v.Get("relationship"));
  View work = v.Get("com.vtrust.work");
  in.work_id = TextOr(work.Get("id"));
  in.content_sha256 = work.Get("hash").is_bytes() ? work.Get("hash").Bytes("").value() : "";
  r->ingredients.push_back(std::move(in));
}

}  // namespace

void ReadFields(const ActiveManifest& m, VerifyReport* r) {
  View claim(m.claim.get());
  r->title = TextOr(claim.Get("dc:title"));
  r->claim_generator = TextOr(claim.Get("claim_generator_info").Get("name"),
                              TextOr(claim.Get("claim_generator")));  // v1: a string
  ReadActions(m, r);
  for (const auto& a : m.assertions->children) {
    if (a.label.rfind(kLabelIngredient, 0) == 0) ReadIngredient(a, r);
  }
  if (const jumbf::SuperBox* reg = m.Assertion(kLabelRegistry)) {
    auto content = ActiveManifest::Content(*reg);
    if (content.ok()) r->registry_json = View(content->get()).ToJson();
  }
}

}  // namespace vt::c2pa::internal
