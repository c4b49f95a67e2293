// pki_bench: the CA's in-process rates (docs/id-card-profile.md; bench/pki_bench.sh
// runs it and prints the figures next to `openssl speed`).
//
//   pki_bench [--seconds S] [--threads N]
//
// For each of p256, ed25519, sm2, with software keys:
//   issue   ID cards issued through x509::Ca::IssueIdCard (build, throwaway
//           signature, lint, real signature, verification of the signature,
//           TBS check): cards/s with N threads;
//   verify  relying-party verification of a card: the chain (LeafVerifier: the
//           issuing CA validated up to the root once, then the card's DER,
//           validity and signature) plus revocation status from a verified CRL
//           of the issuing CA (a serial lookup): cards/s with N threads.
// Output: one line per figure, "pki_bench <what> <alg> <per second> <threads>".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "base/clock.h"
#include "base/rng.h"
#include "crypto/signer.h"
#include "x509/ca.h"
#include "x509/verifier.h"

namespace vt::bench {
namespace {

using Steady = std::chrono::steady_clock;

Status NoStore(const std::string&) { return OkStatus(); }

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "pki_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}
template <typename T>
T Must(StatusOr<T> v, const std::string& what) {
  if (!v.ok()) Die(what, v.status());
  return std::move(v).value();
}

// Runs `op(thread)` on `threads` threads for `seconds`; returns ops/s.
template <typename Op>
double Rate(int threads, double seconds, Op op) {
  std::atomic<int64_t> total{0};
  auto t0 = Steady::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      int64_t n = 0;
      while (std::chrono::duration<double>(Steady::now() - t0).count() < seconds) {
        op(t);
        ++n;
      }
      total += n;
    });
  for (auto& th : pool) th.join();
  return double(total) / std::chrono::duration<double>(Steady::now() - t0).count();
}

x509::IdCardRequest Card() {
  x509::IdCardRequest req;
  req.primary_name = "Luo Tianyi";
  req.card.registry_id = "VC-0000-0002-1825-0097";
  req.card.owner_org = "Vsinger Studio";
  req.card.likeness.push_back(
      {x509::LikenessKind::kFace, std::string(32, '\x01'), std::string(32, '\x02')});
  req.card.ai_driven = true;
  return req;
}

void BenchAlg(crypto::KeyAlg alg, double seconds, int threads) {
  std::string name(crypto::KeyAlgName(alg));
  const Clock& clock = SystemClock::Get();
  Rng& rng = SystemRng::Get();
  auto root_signer = std::shared_ptr<crypto::Signer>(
      crypto::MakeSoftwareSigner(Must(crypto::PrivateKey::Generate(alg), "root key")));
  auto issuing_signer = std::shared_ptr<crypto::Signer>(
      crypto::MakeSoftwareSigner(Must(crypto::PrivateKey::Generate(alg), "issuing key")));
  auto root_cert = Must(x509::Ca::CreateRoot(*root_signer, {"Bench Root " + name, "vtrust bench"},
                                             std::chrono::seconds(0), clock, rng, NoStore),
                        "root");
  auto root = Must(x509::Ca::Create(root_cert.der, root_signer, {}, clock, rng), "root CA");
  auto issuing_cert =
      Must(root.IssueIssuingCa(issuing_signer->public_key(), {"Bench Issuing " + name, "vtrust"},
                               std::chrono::seconds(0), NoStore),
           "issuing");
  x509::CaUrls urls{"http://127.0.0.1:8080/pki/ocsp/" + name,
                    "http://127.0.0.1:8080/pki/ca/" + name + "-issuing.der",
                    "http://127.0.0.1:8080/pki/crl/" + name + ".crl"};
  auto issuing =
      Must(x509::Ca::Create(issuing_cert.der, issuing_signer, urls, clock, rng), "issuing CA");
  // One card key per thread (custodial generation is not what is measured).
  std::vector<crypto::PublicKey> keys;
  for (int t = 0; t < threads; ++t)
    keys.push_back(Must(crypto::PrivateKey::Generate(alg), "card key").Public());
  const x509::IdCardRequest req = Card();
  std::atomic<int> failures{0};
  double issue = Rate(threads, seconds, [&](int t) {
    if (!issuing.IssueIdCard(keys[t], req, NoStore).ok()) ++failures;
  });
  std::printf("pki_bench issue %s %.1f %d\n", name.c_str(), issue, threads);

  // 1,000 cards, every tenth revoked, and the CRL a relying party would fetch.
  std::vector<std::string> cards;
  x509::CrlRequest crl_req;
  for (int i = 0; i < 1000; ++i) {
    auto c = Must(issuing.IssueIdCard(keys[0], req, NoStore), "card");
    if (i % 10 == 0)
      crl_req.revoked.push_back({c.serial_hex, clock.Now(), x509::CrlReason::kKeyCompromise});
    cards.push_back(std::move(c.der));
  }
  crl_req.crl_number = 1;
  std::string crl_der = Must(issuing.SignCrl(crl_req), "crl");
  auto crl = Must(x509::VerifyCrl(crl_der, issuing_cert.der), "verify crl");
  std::unordered_set<std::string> revoked;
  for (const auto& r : crl.revoked) revoked.insert(r.serial_hex);
  auto verifier =
      Must(x509::LeafVerifier::Create(issuing_cert.der, root_cert.der, clock.Now()), "verifier");
  std::vector<size_t> next(threads, 0);
  std::atomic<int64_t> revoked_seen{0};
  double verify = Rate(threads, seconds, [&](int t) {
    const std::string& der = cards[(next[t]++ * 7 + t) % cards.size()];
    auto leaf = verifier.Verify(der, clock.Now());
    if (!leaf.ok()) {
      ++failures;
      return;
    }
    if (revoked.count(leaf->serial_hex)) ++revoked_seen;
  });
  std::printf("pki_bench verify %s %.1f %d\n", name.c_str(), verify, threads);
  if (failures > 0 || revoked_seen == 0) {
    std::fprintf(stderr, "pki_bench: %s: %d failures, %lld revoked seen\n", name.c_str(),
                 failures.load(), static_cast<long long>(revoked_seen.load()));
    std::exit(1);
  }
}

}  // namespace
}  // namespace vt::bench

int main(int argc, char** argv) {
  double seconds = 3;
  int threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
  }
  for (auto alg :
       {vt::crypto::KeyAlg::kP256, vt::crypto::KeyAlg::kEd25519, vt::crypto::KeyAlg::kSm2})
    vt::bench::BenchAlg(alg, seconds, threads);
  return 0;
}
