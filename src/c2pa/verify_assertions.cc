// Assertion checks: hashed URIs (C2PA 2.2 §15.10), the hard binding (§15.12,
// §18.5) and reading the fields vtrust reports.
#include <algorithm>

#include "c2pa/container_internal.h"
#include "c2pa/manifest_internal.h"
#include "c2pa/verify_internal.h"
#include "crypto/digest.h"

namespace vt::c2pa::internal {
namespace {

using cbor::View;

// "self#jumbf=c2pa.assertions/<l>" or ".../<this manifest>/c2pa.assertions/<l>".
std::string LabelOf(const ActiveManifest& m, const std::string& url) {
  const std::string rel(kAssertionUriPrefix);
  if (url.rfind(rel, 0) == 0) return url.substr(rel.size());
  const std::string abs = m.Url(std::string(kLabelAssertions) + "/");
  if (url.rfind(abs, 0) == 0) return url.substr(abs.size());
  return "";
}

bool IsHardBinding(std::string_view label) {
  for (std::string_view l : {kLabelDataHash, kLabelBmffHash, std::string_view("c2pa.hash.bmff.v2"),
                             std::string_view("c2pa.hash.boxes")}) {
    if (label == l || (label.size() > l.size() && label.substr(0, l.size()) == l &&
                       label.substr(l.size(), 2) == "__")) {
      return true;
    }
  }
  return false;
}

Status DataHash(const ActiveManifest& m, const jumbf::SuperBox& a, std::istream& asset,
                VerifyReport* r) {
  std::string url = m.Url(std::string(kLabelAssertions) + "/" + a.label);
  auto content = ActiveManifest::Content(a);
  View v(content.ok() ? content->get() : nullptr);
  std::vector<Exclusion> exclusions;
  View ex = v.Get("exclusions");
  bool ok = content.ok() && v.is_map();
  for (size_t i = 0; ok && ex.is_array() && i < ex.size(); ++i) {
    auto start = ex.At(i).Get("start").Uint("start");
    auto length = ex.At(i).Get("length").Uint("length");
    ok = start.ok() && length.ok();
    if (ok) exclusions.push_back({*start, *length});
  }
  auto expected = v.Get("hash").Bytes("hash");
  View alg = v.Get("alg");
  if (!ok || !expected.ok()) {
    AddStatus(r, "assertion.dataHash.malformed", url, "exclusions or hash missing", false);
    return OkStatus();
  }
  if (alg.valid() && alg.Text("alg").value_or("") != "sha256") {
    AddStatus(r, "algorithm.unsupported", url, "only sha256 data hashes are supported", false);
    return OkStatus();
  }
  auto actual = HashWithExclusions(asset, exclusions);
  if (!actual.ok() && actual.status().message().find("exclusion") != std::string::npos) {
    AddStatus(r, "assertion.dataHash.mismatch", url, actual.status().message(), false);
    return OkStatus();
  }
  VT_RETURN_IF_ERROR(actual.status());
  bool match = *actual == *expected;
  AddStatus(r, match ? "assertion.dataHash.match" : "assertion.dataHash.mismatch", url,
            match ? "asset hash matches" : "asset bytes differ from the signed hash", match);
  return OkStatus();
}

// c2pa.hash.bmff.v2/v3 with the default exclusions vtrust writes (§18.6.2).
Status BmffHashCheck(const ActiveManifest& m, const jumbf::SuperBox& a, std::istream& asset,
                     VerifyReport* r) {
  std::string url = m.Url(std::string(kLabelAssertions) + "/" + a.label);
  auto content = ActiveManifest::Content(a);
  View v(content.ok() ? content->get() : nullptr);
  auto expected = v.Get("hash").Bytes("hash");
  View ex = v.Get("exclusions");
  if (!expected.ok() || !ex.is_array()) {
    AddStatus(r, "assertion.bmffHash.malformed", url, "exclusions or hash missing", false);
    return OkStatus();
  }
  for (size_t i = 0; i < ex.size(); ++i) {
    std::string xpath = ex.At(i).Get("xpath").Text("xpath").value_or("");
    bool known = xpath == "/uuid" || xpath == "/ftyp" || xpath == "/mfra" || xpath == "/free" ||
                 xpath == "/skip";
    if (!known || ex.At(i).Get("subset").valid()) {
      AddStatus(r, "algorithm.unsupported", url, "BMFF exclusion not supported: " + xpath, false);
      return OkStatus();
    }
  }
  auto actual = BmffHash(asset);
  if (!actual.ok()) {
    AddStatus(r, "assertion.bmffHash.mismatch", url, actual.status().message(), false);
    return OkStatus();
  }
  bool match = *actual == *expected;
  AddStatus(r, match ? "assertion.bmffHash.match" : "assertion.bmffHash.mismatch", url,
            match ? "asset hash matches" : "asset boxes differ from the signed hash", match);
  return OkStatus();
}

}  // namespace

void AddStatus(VerifyReport* r, std::string code, std::string url, std::string explanation,
               bool success) {
  r->statuses.push_back({std::move(code), std::move(url), std::move(explanation), success});
}

const jumbf::SuperBox* ActiveManifest::Assertion(std::string_view l) const {
  return assertions == nullptr ? nullptr : assertions->Child(l);
}

StatusOr<cbor::Item> ActiveManifest::Content(const jumbf::SuperBox& a) {
  if (a.contents.size() != 1 || a.contents[0].type != "cbor") {
    return InvalidArgumentError("assertion " + a.label + " has no single cbor box");
  }
  return cbor::Item::Decode(a.contents[0].payload);
}

void CheckHashedUris(ActiveManifest* m, VerifyReport* r) {
  View claim(m->claim.get());
  // v2 claims list created and gathered assertions; v1 claims one "assertions" list.
  for (const char* list : {"created_assertions", "gathered_assertions", "assertions"}) {
    View refs = claim.Get(list);
    for (size_t i = 0; refs.is_array() && i < refs.size(); ++i) {
      auto url = refs.At(i).Get("url").Text("url");
      auto hash = refs.At(i).Get("hash").Bytes("hash");
      if (!url.ok() || !hash.ok()) {
        AddStatus(r, "claim.malformed", m->Url(kLabelClaim), "hashed URI without url/hash", false);
        continue;
      }
      std::string label = LabelOf(*m, *url);
      const jumbf::SuperBox* a = m->Assertion(label);
      if (a == nullptr) {
        AddStatus(r, "assertion.missing", *url, "no assertion at this URI", false);
        continue;
      }
      m->referenced_labels.push_back(label);
      bool match = crypto::Sha256(a->body) == *hash;
      AddStatus(r, match ? "assertion.hashedURI.match" : "assertion.hashedURI.mismatch", *url,
                match ? "hashed URI matches" : "assertion bytes differ from the claim's hash",
                match);
    }
  }
  for (const auto& a : m->assertions->children) {
    if (std::find(m->referenced_labels.begin(), m->referenced_labels.end(), a.label) ==
        m->referenced_labels.end()) {
      AddStatus(r, "assertion.undeclared", m->Url(std::string(kLabelAssertions) + "/" + a.label),
                "assertion not referenced by the claim", false);
    }
  }
}

Status CheckHardBinding(const ActiveManifest& m, std::istream& asset, VerifyReport* r) {
  std::vector<const jumbf::SuperBox*> bindings;
  for (const auto& l : m.referenced_labels) {
    if (IsHardBinding(l)) bindings.push_back(m.Assertion(l));
  }
  if (bindings.empty()) {
    AddStatus(r, "claim.hardBindings.missing", m.Url(kLabelClaim), "no hard binding", false);
    return OkStatus();
  }
  if (bindings.size() > 1) {
    AddStatus(r, "assertion.multipleHardBindings", m.Url(kLabelClaim), "several hard bindings",
              false);
    return OkStatus();
  }
  if (bindings[0]->label.rfind(kLabelDataHash, 0) == 0) return DataHash(m, *bindings[0], asset, r);
  if (bindings[0]->label.rfind("c2pa.hash.bmff", 0) == 0)
    return BmffHashCheck(m, *bindings[0], asset, r);
  AddStatus(r, "algorithm.unsupported",
            m.Url(std::string(kLabelAssertions) + "/" + bindings[0]->label),
            "this hard binding type is not supported by vtrust's verifier", false);
  return OkStatus();
}

}  // namespace vt::c2pa::internal
