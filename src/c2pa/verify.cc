// Verify(): locate the active manifest (C2PA 2.2 §15.4-15.6), run the checks,
// and reduce the status codes to a verdict (§14.3 well-formed/valid/trusted).
#include <algorithm>

#include "c2pa/container_internal.h"
#include "c2pa/manifest_internal.h"
#include "c2pa/verify_internal.h"

namespace vt::c2pa {
namespace {

using internal::ActiveManifest;

// Finds the active manifest and its claim and signature; a report status and
// false if the store is not usable.
bool Locate(std::string store, ActiveManifest* m, VerifyReport* r) {
  m->store = std::move(store);
  auto root = jumbf::ParseSuperBox(m->store);
  if (!root.ok() || root->TypeCode() != jumbf::kStore) {
    internal::AddStatus(
        r, "claim.malformed", "self#jumbf=/c2pa",
        "manifest store: " + (root.ok() ? "not a c2pa box" : root.status().message()), false);
    return false;
  }
  m->root = std::move(root).value();
  for (const auto& c : m->root.children) {  // §11.1.4: the last manifest is active
    if (c.TypeCode() == jumbf::kManifest || c.TypeCode() == jumbf::kUpdateManifest)
      m->manifest = &c;
  }
  if (m->manifest == nullptr) {
    internal::AddStatus(r, "claim.missing", "self#jumbf=/c2pa", "the store has no manifest", false);
    return false;
  }
  m->label = m->manifest->label;
  m->assertions = m->manifest->Child(internal::kLabelAssertions);
  const jumbf::SuperBox* claim = m->manifest->Child(internal::kLabelClaim);
  if (claim == nullptr) claim = m->manifest->Child(internal::kLabelClaimV1);  // §10.1 (1.x)
  const jumbf::SuperBox* sig = m->manifest->Child(internal::kLabelSignature);
  if (claim == nullptr || claim->contents.size() != 1 || m->assertions == nullptr) {
    internal::AddStatus(r, "claim.missing", m->Url(internal::kLabelClaim),
                        "no c2pa.claim.v2 with one cbor box, or no assertion store", false);
    return false;
  }
  m->claim_bytes = std::string(claim->contents[0].payload);
  auto decoded = cbor::Item::Decode(m->claim_bytes);
  if (!decoded.ok() || !cbor::View(decoded->get()).is_map()) {
    internal::AddStatus(r, "claim.cbor.invalid", m->Url(internal::kLabelClaim),
                        decoded.ok() ? "claim is not a map" : decoded.status().message(), false);
    return false;
  }
  m->claim = std::move(decoded).value();
  if (sig == nullptr || sig->contents.size() != 1) {
    internal::AddStatus(r, "claimSignature.missing", m->Url(internal::kLabelSignature),
                        "no c2pa.signature box", false);
    return false;
  }
  m->signature_bytes = std::string(sig->contents[0].payload);
  return true;
}

Verdict Reduce(const VerifyReport& r) {
  bool failed = std::any_of(r.statuses.begin(), r.statuses.end(), [](const StatusEntry& s) {
    return !s.success && s.code != "signingCredential.untrusted" &&
           s.code != "cawg.x509.credential.untrusted" && s.code != "timeStamp.untrusted";
  });
  if (failed) return Verdict::kInvalid;
  bool untrusted = r.Has("signingCredential.untrusted") ||
                   r.Has("cawg.x509.credential.untrusted") || r.Has("timeStamp.untrusted");
  return r.Has("signingCredential.trusted") && !untrusted ? Verdict::kTrusted
                                                          : Verdict::kValidUntrusted;
}

}  // namespace

bool VerifyReport::Has(std::string_view code) const {
  return std::any_of(statuses.begin(), statuses.end(),
                     [&](const StatusEntry& s) { return s.code == code; });
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kTrusted:
      return "trusted";
    case Verdict::kValidUntrusted:
      return "valid_untrusted";
    case Verdict::kInvalid:
      return "invalid";
    case Verdict::kNoManifest:
      return "no_manifest";
  }
  return "invalid";
}

StatusOr<VerifyReport> Verify(Container kind, std::istream& asset,
                              const std::optional<std::string>& sidecar,
                              const VerifyOptions& options) {
  VerifyReport report;
  std::string store;
  if (sidecar) {
    store = *sidecar;
  } else {
    auto extracted = ExtractManifestStore(kind, asset);
    if (extracted.status().code() == StatusCode::kNotFound) return report;  // kNoManifest
    VT_RETURN_IF_ERROR(extracted.status());
    store = std::move(extracted).value();
  }
  ActiveManifest m;
  if (!Locate(std::move(store), &m, &report)) {
    report.verdict = Verdict::kInvalid;
    return report;
  }
  report.manifest_label = m.label;
  internal::CheckHashedUris(&m, &report);
  internal::CheckClaimSignature(m, options, &report);
  VT_RETURN_IF_ERROR(internal::CheckHardBinding(m, asset, &report));
  internal::CheckIdentities(m, options, &report);
  internal::ReadFields(m, &report);
  report.verdict = Reduce(report);
  return report;
}

}  // namespace vt::c2pa
