// PKCS#10 certificate signing requests (x509/csr.h), PEM or DER, as uploaded
// for card issuance. The first byte picks the expected key algorithm.
#include "x509/csr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const vt::crypto::KeyAlg kAlgs[] = {
      vt::crypto::KeyAlg::kP256, vt::crypto::KeyAlg::kEd25519, vt::crypto::KeyAlg::kSm2};
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  vt::x509::VerifyCsr(in, kAlgs[data[0] % 3]).status().IgnoreError();
  return 0;
}
