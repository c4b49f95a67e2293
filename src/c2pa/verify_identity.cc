// CAWG identity assertions with X.509 credentials (CAWG identity assertion
// 1.1 §7 validation, §8.2 cawg.x509.cose).
#include <algorithm>

#include "c2pa/cert_profile_internal.h"
#include "c2pa/cose_internal.h"
#include "c2pa/manifest_internal.h"
#include "c2pa/verify_internal.h"
#include "crypto/digest.h"

namespace vt::c2pa::internal {
namespace {

using cbor::View;

// §7.1: every referenced assertion is in the claim with the same hash, and
// one of them is the hard binding. Returns the failure code or "".
std::string CheckReferences(const ActiveManifest& m, View refs, std::string* why) {
  if (!refs.is_array()) {
    *why = "referenced_assertions missing";
    return "cawg.identity.malformed";
  }
  bool hard_binding = false;
  for (size_t i = 0; i < refs.size(); ++i) {
    auto url = refs.At(i).Get("url").Text("url");
    auto hash = refs.At(i).Get("hash").Bytes("hash");
    if (!url.ok() || !hash.ok()) {
      *why = "referenced assertion without url/hash";
      return "cawg.identity.malformed";
    }
    std::string label = url->substr(url->rfind('/') + 1);
    const jumbf::SuperBox* a = m.Assertion(label);
    bool in_claim = std::find(m.referenced_labels.begin(), m.referenced_labels.end(), label) !=
                    m.referenced_labels.end();
    if (a == nullptr || !in_claim || crypto::Sha256(a->body) != *hash) {
      *why = "referenced assertion " + *url + " is not in the claim with this hash";
      return "cawg.identity.assertion.mismatch";
    }
    hard_binding |= label == kLabelDataHash || label == kLabelBmffHash;
  }
  if (!hard_binding) {
    *why = "the hard binding is not referenced";
    return "cawg.identity.hard_binding_missing";
  }
  return "";
}

void CheckOne(const ActiveManifest& m, const jumbf::SuperBox& a, const VerifyOptions& o,
              VerifyReport* r) {
  std::string url = m.Url(std::string(kLabelAssertions) + "/" + a.label);
  auto content = ActiveManifest::Content(a);
  View v(content.ok() ? content->get() : nullptr);
  View sp = v.Get("signer_payload");
  auto sig_bytes = v.Get("signature").Bytes("signature");
  if (!sp.is_map() || !sig_bytes.ok()) {
    AddStatus(r, "cawg.identity.malformed", url, "signer_payload or signature missing", false);
    return;
  }
  for (const char* pad : {"pad1", "pad2"}) {
    auto bytes = v.Get(pad).Bytes(pad);
    bool zeros = bytes.ok() && bytes->find_first_not_of('\0') == std::string::npos;
    if ((pad == std::string_view("pad1") || v.Get(pad).valid()) && !zeros) {
      AddStatus(r, "cawg.identity.pad.invalid", url, std::string(pad) + " missing or not zeros",
                false);
      return;
    }
  }
  if (sp.Get("sig_type").Text("sig_type").value_or("") != "cawg.x509.cose") {
    AddStatus(r, "cawg.identity.sig_type.unknown", url, "only cawg.x509.cose is supported", false);
    return;
  }
  std::string why;
  std::string code = CheckReferences(m, sp.Get("referenced_assertions"), &why);
  if (!code.empty()) {
    AddStatus(r, code, url, why, false);
    return;
  }
  AddStatus(r, "cawg.identity.well-formed", url, "identity assertion well-formed", true);
  auto cose_sig = cose::Parse(*sig_bytes);
  // §8.2.1: the signed payload is the signer_payload's CBOR, byte for byte
  // (detached; an attached copy must be identical).
  std::string payload = sp.Encode();
  bool same_payload = cose_sig.ok() && (!cose_sig->payload || *cose_sig->payload == payload);
  Status verified = !cose_sig.ok()  ? cose_sig.status()
                    : !same_payload ? InvalidArgumentError("COSE payload is not signer_payload")
                                    : cose::Verify(*cose_sig, payload);
  if (!verified.ok()) {
    AddStatus(r, "cawg.x509.signature.mismatch", url, verified.message(), false);
    return;
  }
  AddStatus(r, "cawg.x509.signature.validated", url, "identity signature valid", true);
  CredentialResult c = JudgeCredential(cose_sig->chain_der, o.identity_trust_anchors_der,
                                       {kEkuDocumentSigning, kEkuEmailProtection}, o.now);
  r->identity_subject = c.subject;
  static constexpr const char* kCodes[] = {"cawg.x509.credential.trusted",
                                           "cawg.x509.credential.untrusted",
                                           "cawg.x509.credential.invalid"};
  AddStatus(r, kCodes[static_cast<int>(c.kind)], url, c.explanation,
            c.kind == Credential::kTrusted);
}

}  // namespace

void CheckIdentities(const ActiveManifest& m, const VerifyOptions& o, VerifyReport* r) {
  for (const auto& a : m.assertions->children) {
    if (a.label == kLabelIdentity || a.label.rfind(std::string(kLabelIdentity) + "__", 0) == 0) {
      CheckOne(m, a, o, r);
    }
  }
}

}  // namespace vt::c2pa::internal
