// Test-only: certificates and sign options for the c2pa tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "c2pa/c2pa.h"
#include "c2pa/test_assets.h"
#include "x509/test_util.h"

namespace vt::c2pa::testing {

using x509::testing::Hierarchy;
using x509::testing::NoStore;

// A claim signer (C2PA profile) and an identity signer (member profile, with
// id-kp-documentSigning) under one test hierarchy.
struct Pki {
  explicit Pki(crypto::KeyAlg alg) : h(alg) {
    auto ck = crypto::PrivateKey::Generate(alg);
    claim_signer = crypto::MakeSoftwareSigner(*ck);
    x509::C2paRequest creq;
    creq.subject = {"vtrust Studio C2PA", "vtrust test"};
    auto claim_cert = h.issuing->IssueC2paSigning(claim_signer->public_key(), creq, NoStore);
    EXPECT_TRUE(claim_cert.ok()) << claim_cert.status().ToString();
    claim_chain = {claim_cert->der, h.issuing_der};
    auto ik = crypto::PrivateKey::Generate(alg);
    identity_signer = crypto::MakeSoftwareSigner(*ik);
    x509::MemberRequest mreq;
    mreq.subject = {"Luo Tianyi", "Vsinger Studio"};
    auto id_cert = h.issuing->IssueMember(identity_signer->public_key(), mreq, NoStore);
    EXPECT_TRUE(id_cert.ok()) << id_cert.status().ToString();
    identity_chain = {id_cert->der, h.issuing_der};
  }

  SignOptions Options(bool with_identity = true) const {
    SignOptions o;
    o.claim_signer = claim_signer.get();
    o.claim_chain_der = claim_chain;
    if (with_identity) {
      o.identity_signer = identity_signer.get();
      o.identity_chain_der = identity_chain;
    }
    o.digital_source_type =
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    o.registry_json =
        R"({"character_id":"VC-0000-0002-1825-0097","org_id":"ORG-7","log_index":12})";
    o.ingredients.push_back(
        {"Song stem", "audio/wav", "componentOf", "W-42", std::string(32, '\x5a')});
    o.title = "test asset";
    o.uuid_bytes = std::string(16, '\x11');
    return o;
  }

  VerifyOptions Verification() const {
    VerifyOptions v;
    v.trust_anchors_der = {h.root_der};
    v.identity_trust_anchors_der = {h.root_der};
    v.now = SystemClock::Get().Now();
    return v;
  }

  Hierarchy h;
  std::unique_ptr<crypto::Signer> claim_signer;
  std::vector<std::string> claim_chain;
  std::unique_ptr<crypto::Signer> identity_signer;
  std::vector<std::string> identity_chain;
};

inline StatusOr<std::string> SignBytes(Container kind, const std::string& asset,
                                       const SignOptions& o) {
  std::istringstream in(asset);
  std::ostringstream out;
  VT_RETURN_IF_ERROR(SignStream(kind, in, out, o));
  return out.str();
}

inline StatusOr<VerifyReport> VerifyBytes(Container kind, const std::string& asset,
                                          const VerifyOptions& v,
                                          std::optional<std::string> sidecar = std::nullopt) {
  std::istringstream in(asset);
  return Verify(kind, in, sidecar, v);
}

inline std::string Codes(const VerifyReport& r) {
  std::string s;
  for (const auto& e : r.statuses) s += e.code + (e.success ? "" : "(!) " + e.explanation) + "\n";
  return s;
}

}  // namespace vt::c2pa::testing
