// Writes the seed corpora of the c2pa fuzz targets (small signed and unsigned
// assets, a manifest store, a COSE_Sign1) into fuzz/corpus/. Built with
// -DVTRUST_FUZZ=ON; run from the repository root: build-fuzz/c2pa_seeds
#include <fstream>
#include <sstream>

#include "c2pa/c2pa.h"
#include "c2pa/jumbf_internal.h"
#include "c2pa/test_assets.h"

namespace {

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  std::ofstream(std::string("fuzz/corpus/") + target + "/" + name, std::ios::binary) << bytes;
}

}  // namespace

int main() {
  namespace c2pa = vt::c2pa;
  auto signer = vt::crypto::MakeSoftwareSigner(
      vt::crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x07')).value());
  c2pa::SignOptions o;
  o.claim_signer = signer.get();
  o.claim_chain_der = {"dummy certificate"};
  o.uuid_bytes = std::string(16, '\x42');
  o.identity_signer = signer.get();
  o.identity_chain_der = {"dummy identity certificate"};
  o.registry_json = R"({"character_id":"VC-1","log_index":1})";
  o.ingredients.push_back({"stem", "audio/wav", "componentOf", "W-1", std::string(32, 'h')});
  std::istringstream sidecar_asset("fixed asset bytes");
  std::string store = c2pa::SignSidecar(sidecar_asset, o).value();
  Write("fuzz_c2pa_jumbf", "store", store);
  auto root = c2pa::jumbf::ParseSuperBox(store).value();
  const auto* sig = root.children[0].Child("c2pa.signature");
  Write("fuzz_c2pa_cose", "claim_signature", std::string(sig->contents[0].payload));
  const std::string assets[] = {c2pa::testing::TinyJpeg(), c2pa::testing::TinyPng(),
                                c2pa::testing::TinyWav(), c2pa::testing::TinyMp4()};
  const c2pa::Container kinds[] = {c2pa::Container::kJpeg, c2pa::Container::kPng,
                                   c2pa::Container::kWav, c2pa::Container::kMp4};
  o.identity_signer = nullptr;
  for (int i = 0; i < 4; ++i) {
    std::string selector(1, static_cast<char>(i));
    std::string name(c2pa::ContainerName(kinds[i]));
    Write("fuzz_c2pa_containers", name, selector + assets[i]);
    std::istringstream in(assets[i]);
    std::ostringstream out;
    if (c2pa::SignStream(kinds[i], in, out, o).ok()) {
      Write("fuzz_c2pa_containers", name + "_signed", selector + out.str());
    }
  }
  return 0;
}
