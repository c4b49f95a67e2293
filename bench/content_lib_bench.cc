// The content-credential library alone (src/c2pa, no registry, no log):
// signs a file with c2pa::SignStream (or SignSidecar) and verifies the result
// with c2pa::Verify, both streamed from and to files, and prints the seconds
// of each step and the process's peak RSS. For content_bench.sh.
//
//   content_lib_bench jpeg|png|wav|mp4|sidecar KEY.pem CHAIN.pem ROOT.pem IN OUT
//
// CHAIN.pem: the claim signer's certificate first, then its issuer (no root).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "c2pa/c2pa.h"
#include "crypto/key.h"
#include "crypto/signer.h"
#include "x509/cert.h"

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

long PeakRssKib() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

std::vector<std::string> Ders(const std::string& pem) {
  std::vector<std::string> out;
  auto certs = vt::x509::SplitPemCertificates(pem);
  if (!certs.ok()) return out;
  for (const auto& c : *certs) {
    auto d = vt::x509::CertificateToDer(c);
    if (d.ok()) out.push_back(*d);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vt;
  if (argc != 7) {
    fprintf(stderr, "usage: content_lib_bench KIND KEY.pem CHAIN.pem ROOT.pem IN OUT\n");
    return 2;
  }
  std::string kind_name = argv[1];
  auto key = crypto::PrivateKey::FromPem(Slurp(argv[2]));
  if (!key.ok()) {
    fprintf(stderr, "key: %s\n", key.status().ToString().c_str());
    return 1;
  }
  auto signer = crypto::MakeSoftwareSigner(std::move(*key));
  c2pa::SignOptions o;
  o.claim_signer = signer.get();
  o.claim_chain_der = Ders(Slurp(argv[3]));
  o.uuid_bytes = std::string(16, '\x42');
  std::string in_path = argv[5], out_path = argv[6];
  bool sidecar = kind_name == "sidecar";
  c2pa::Container kind = c2pa::Container::kSidecar;
  if (!sidecar) {
    std::ifstream head(in_path, std::ios::binary);
    std::string b(32, '\0');
    head.read(b.data(), 32);
    auto k = c2pa::DetectContainer(b);
    if (!k.ok()) return 1;
    kind = *k;
  }
  auto t0 = std::chrono::steady_clock::now();
  {
    std::ifstream in(in_path, std::ios::binary);
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    Status st = OkStatus();
    if (sidecar) {
      auto store = c2pa::SignSidecar(in, o);
      st = store.status();
      if (store.ok()) out << *store;
    } else {
      st = c2pa::SignStream(kind, in, out, o);
    }
    if (!st.ok()) {
      fprintf(stderr, "sign: %s\n", st.ToString().c_str());
      return 1;
    }
  }
  double sign_s = Since(t0);
  long sign_rss = PeakRssKib();
  c2pa::VerifyOptions v;
  v.trust_anchors_der = Ders(Slurp(argv[4]));
  v.now = SystemClock::Get().Now();
  auto t1 = std::chrono::steady_clock::now();
  std::ifstream asset(sidecar ? in_path : out_path, std::ios::binary);
  std::optional<std::string> store;
  if (sidecar) store = Slurp(out_path);
  auto r = c2pa::Verify(kind, asset, store, v);
  double verify_s = Since(t1);
  if (!r.ok()) {
    fprintf(stderr, "verify: %s\n", r.status().ToString().c_str());
    return 1;
  }
  printf("sign_s=%.3f verify_s=%.3f peak_rss_kib=%ld sign_peak_rss_kib=%ld verdict=%s\n", sign_s,
         verify_s, PeakRssKib(), sign_rss, std::string(c2pa::VerdictName(r->verdict)).c_str());
  return r->verdict == c2pa::Verdict::kTrusted ? 0 : 3;
}
