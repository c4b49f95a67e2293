// COSE_Sign1 for C2PA claims and CAWG identity assertions (RFC 9052 §4.2-4.4,
// C2PA 2.2 §13.2, §14.5).
#include "c2pa/cbor_internal.h"
#include "c2pa/cose_internal.h"
#include "crypto/ecdsa_sig.h"
#include "x509/cert.h"

namespace vt::c2pa::cose {
namespace {

using cbor::Item;
using cbor::View;

StatusOr<int64_t> AlgFor(crypto::KeyAlg alg) {
  switch (alg) {
    case crypto::KeyAlg::kP256:
      return kAlgEs256;
    case crypto::KeyAlg::kEd25519:
      return kAlgEdDsa;
    default:
      return InvalidArgumentError("algorithm.unsupported: C2PA has no algorithm for this key");
  }
}

std::string ProtectedHeader(int64_t alg, const std::vector<std::string>& chain) {
  Item x5 = Item::Bytes(chain[0]);
  if (chain.size() > 1) {
    std::vector<Item> certs;
    for (const auto& c : chain) certs.push_back(Item::Bytes(c));
    x5 = Item::Array(std::move(certs));
  }
  std::vector<std::pair<Item, Item>> m;
  m.emplace_back(Item::Int(kHeaderAlg), Item::Int(alg));
  m.emplace_back(Item::Int(kHeaderX5Chain), std::move(x5));
  return Item::Map(std::move(m)).Encode();
}

// RFC 9052 §4.4 Sig_structure for COSE_Sign1 with empty external_aad.
std::string ToBeSigned(std::string_view protected_bytes, std::string_view payload) {
  std::vector<Item> a;
  a.push_back(Item::Text("Signature1"));
  a.push_back(Item::Bytes(protected_bytes));
  a.push_back(Item::Bytes(""));
  a.push_back(Item::Bytes(payload));
  return Item::Array(std::move(a)).Encode();
}

std::string Assemble(const SignParams& p, const std::optional<std::string>& tst_der,
                     std::string_view prot, std::string_view payload, bool attach,
                     std::string_view sig, std::optional<size_t> pad) {
  std::vector<std::pair<std::string, Item>> unprot;
  if (p.ocsp_der) {
    std::vector<Item> vals;
    vals.push_back(Item::Bytes(*p.ocsp_der));
    unprot.emplace_back("rVals", cbor::Obj().Add("ocspVals", Item::Array(std::move(vals))).Build());
  }
  if (tst_der) {
    std::vector<Item> toks;
    toks.push_back(cbor::Obj().Add("val", Item::Bytes(*tst_der)).Build());
    unprot.emplace_back("sigTst2",
                        cbor::Obj().Add("tstTokens", Item::Array(std::move(toks))).Build());
  }
  if (pad) unprot.emplace_back("pad", Item::Bytes(std::string(*pad, '\0')));
  std::vector<Item> a;
  a.push_back(Item::Bytes(prot));
  a.push_back(Item::TextMap(std::move(unprot)));
  a.push_back(attach ? Item::Bytes(payload) : Item::Null());
  a.push_back(Item::Bytes(sig));
  return Item::Tag(18, Item::Array(std::move(a))).Encode();
}

size_t BstrHead(size_t n) { return n < 24 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5; }

// Pads to exactly `want` bytes: adding "pad" costs 4 (key) + head + n bytes.
StatusOr<std::string> PadTo(const SignParams& p, const std::optional<std::string>& tst,
                            std::string_view prot, std::string_view payload, bool attach,
                            std::string_view sig, size_t want) {
  std::string bare = Assemble(p, tst, prot, payload, attach, sig, std::nullopt);
  for (size_t head : {1, 2, 3, 5}) {
    if (want < bare.size() + 4 + head) continue;
    size_t n = want - bare.size() - 4 - head;
    if (BstrHead(n) != head) continue;
    std::string out = Assemble(p, tst, prot, payload, attach, sig, n);
    if (out.size() == want) return out;
  }
  return ResourceExhaustedError("COSE_Sign1 of " + std::to_string(bare.size()) +
                                " bytes does not fit the reserved " + std::to_string(want));
}

}  // namespace

size_t ReserveSize(const SignParams& params) {
  size_t n = 4096;
  for (const auto& c : params.chain_der) n += c.size() + 8;
  if (params.ocsp_der) n += params.ocsp_der->size() + 32;
  if (params.timestamper) n += params.timestamp_reserve;
  return n;
}

std::string CounterSignData(std::string_view protected_bytes, std::string_view data) {
  std::vector<Item> a;
  a.push_back(Item::Text("CounterSignature"));
  a.push_back(Item::Bytes(protected_bytes));
  a.push_back(Item::Bytes(""));
  a.push_back(Item::Bytes(data));
  return Item::Array(std::move(a)).Encode();
}

std::string TimestampMessage(const Parsed& parsed, std::string_view payload) {
  return CounterSignData(parsed.protected_bytes, parsed.tst_v2
                                                     ? Item::Bytes(parsed.signature).Encode()
                                                     : std::string(payload));
}

StatusOr<std::string> Sign1(const SignParams& p, std::string_view payload, bool attach) {
  if (p.signer == nullptr || p.chain_der.empty()) {
    return InvalidArgumentError("COSE signing needs a signer and its certificate chain");
  }
  VT_ASSIGN_OR_RETURN(int64_t alg, AlgFor(p.signer->alg()));
  std::string prot = ProtectedHeader(alg, p.chain_der);
  VT_ASSIGN_OR_RETURN(std::string sig, p.signer->Sign(ToBeSigned(prot, payload)));
  if (alg == kAlgEs256) {
    VT_ASSIGN_OR_RETURN(sig, crypto::EcdsaDerToRaw(sig, 32));
  }
  std::optional<std::string> tst;
  if (p.timestamper) {
    // sigTst2: the token is over the signature (C2PA 2.2 §10.3.2.5).
    VT_ASSIGN_OR_RETURN(tst, p.timestamper(CounterSignData(prot, Item::Bytes(sig).Encode())));
  }
  if (p.reserve == 0) return Assemble(p, tst, prot, payload, attach, sig, std::nullopt);
  return PadTo(p, tst, prot, payload, attach, sig, p.reserve);
}

}  // namespace vt::c2pa::cose
