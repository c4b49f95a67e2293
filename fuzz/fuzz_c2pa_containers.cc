// JPEG, PNG, WAV and MP4 assets: the first byte picks the container; the rest
// is the asset. Runs extraction, verification and signing (with a throwaway
// Ed25519 key and a dummy chain: signing does not validate certificates).
#include <sstream>

#include "c2pa/c2pa.h"

namespace {

vt::crypto::Signer* FuzzSigner() {
  static vt::crypto::Signer* signer =
      vt::crypto::MakeSoftwareSigner(
          vt::crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x07')).value())
          .release();
  return signer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr vt::c2pa::Container kKinds[] = {
      vt::c2pa::Container::kJpeg, vt::c2pa::Container::kPng, vt::c2pa::Container::kWav,
      vt::c2pa::Container::kMp4};
  vt::c2pa::Container kind = kKinds[data[0] % 4];
  std::string asset(reinterpret_cast<const char*>(data) + 1, size - 1);
  {
    std::istringstream in(asset);
    vt::c2pa::ExtractManifestStore(kind, in).status().IgnoreError();
  }
  {
    std::istringstream in(asset);
    vt::c2pa::VerifyOptions options;
    vt::c2pa::Verify(kind, in, std::nullopt, options).status().IgnoreError();
  }
  {
    std::istringstream in(asset);
    std::ostringstream out;
    vt::c2pa::SignOptions o;
    o.claim_signer = FuzzSigner();
    o.claim_chain_der = {"not a certificate"};
    o.uuid_bytes = std::string(16, '\x42');
    vt::c2pa::SignStream(kind, in, out, o).IgnoreError();
  }
  return 0;
}
