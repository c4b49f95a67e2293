// Shared fixtures for the x509 tests (header-only; not part of the library).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/rng.h"
#include "crypto/signer.h"
#include "x509/ca.h"
#include "x509/registry_id.h"

namespace vt::x509::testing {

// Forwards to a software signer and counts the signatures it makes.
class CountingSigner : public crypto::Signer {
 public:
  explicit CountingSigner(crypto::PrivateKey key)
      : inner_(crypto::MakeSoftwareSigner(std::move(key), "test")) {}
  crypto::KeyAlg alg() const override { return inner_->alg(); }
  const crypto::PublicKey& public_key() const override { return inner_->public_key(); }
  StatusOr<std::string> Sign(std::string_view message) override {
    ++count_;
    return inner_->Sign(message);
  }
  std::string Describe() const override { return "counting-test-signer"; }
  int count() const { return count_; }

 private:
  std::unique_ptr<crypto::Signer> inner_;
  std::atomic<int> count_{0};
};

inline Status NoStore(const std::string&) { return OkStatus(); }

inline crypto::PrivateKey NewKey(crypto::KeyAlg alg) {
  auto key = crypto::PrivateKey::Generate(alg);
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

// A root and an issuing CA of one algorithm, with a clock at the real current
// time (external tools check validity against the wall clock).
struct Hierarchy {
  explicit Hierarchy(crypto::KeyAlg alg)
      : clock(SystemClock::Get().NowUnixMillis()), rng(1234 + static_cast<int>(alg)) {
    root_signer = std::make_shared<CountingSigner>(NewKey(alg));
    issuing_signer = std::make_shared<CountingSigner>(NewKey(alg));
    std::string name(crypto::KeyAlgName(alg));
    auto root_cert = Ca::CreateRoot(*root_signer, {"vtrust Test Root " + name, "vtrust test"},
                                    std::chrono::seconds(0), clock, rng, NoStore);
    EXPECT_TRUE(root_cert.ok()) << root_cert.status().ToString();
    root_der = root_cert->der;
    auto r = Ca::Create(root_der, root_signer, {}, clock, rng);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    root = std::make_unique<Ca>(*r);
    auto issuing_cert = root->IssueIssuingCa(issuing_signer->public_key(),
                                             {"vtrust Test Issuing CA " + name, "vtrust test"},
                                             std::chrono::seconds(0), NoStore);
    EXPECT_TRUE(issuing_cert.ok()) << issuing_cert.status().ToString();
    issuing_der = issuing_cert->der;
    CaUrls urls{"http://127.0.0.1:8080/ocsp", "http://127.0.0.1:8080/ca/" + name + ".der",
                "http://127.0.0.1:8080/crl/" + name + ".crl"};
    auto i = Ca::Create(issuing_der, issuing_signer, urls, clock, rng);
    EXPECT_TRUE(i.ok()) << i.status().ToString();
    issuing = std::make_unique<Ca>(*i);
  }

  FakeClock clock;
  DeterministicRng rng;
  std::shared_ptr<CountingSigner> root_signer;
  std::shared_ptr<CountingSigner> issuing_signer;
  std::string root_der;
  std::string issuing_der;
  std::unique_ptr<Ca> root;
  std::unique_ptr<Ca> issuing;
};

inline IdCardRequest SampleCard(const std::string& registry_id = "VC-0000-0002-1825-0097") {
  IdCardRequest req;
  req.primary_name = "Luo Tianyi";
  req.card.registry_id = registry_id;
  req.card.owner_org = "Vsinger Studio";
  req.card.likeness.push_back(
      {LikenessKind::kFace, std::string(32, '\x01'), std::string(32, '\x02')});
  req.card.ai_driven = true;
  req.card.digital_human_code = "DH-2026-000001";
  return req;
}

}  // namespace vt::x509::testing
