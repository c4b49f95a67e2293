// ContentDesk::Sign and the signer it needs (docs/c2pa.md, "Signing in vtrust").
#include "app/content/content_desk.h"

#include "app/content/timestamps.h"

#include <sstream>

#include "app/core/domain_names.h"
#include "app/identity/ca_keys.h"
#include "app/identity/characters.h"
#include "app/identity/pki.h"
#include "app/identity/revocation.h"
#include "app/log/transparency_log.h"
#include "app/rights/works.h"
#include "base/encoding.h"
#include "crypto/digest.h"
#include "domain/entries.h"
#include "store/content/content_repo.h"
#include "x509/cert.h"
#include "x509/ocsp.h"
#include "x509/ocsp_client.h"

namespace vt::app {

struct ContentDesk::Signing {
  std::shared_ptr<crypto::Signer> signer;
  std::vector<std::string> chain;  // end-entity, issuing CA
  std::string serial, ca_id;
  std::optional<std::string> ocsp_der;
};

namespace {

// SHA-256 of the whole stream, which is rewound afterwards.
StatusOr<std::string> StreamSha256(std::istream& in) {
  crypto::Hasher h(crypto::HashAlg::kSha256);
  std::string buf(64 * 1024, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h.Update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return InvalidArgumentError("cannot read the asset");
  in.clear();
  in.seekg(0);
  return h.Final();
}

StatusOr<c2pa::Container> Detect(std::istream& in) {
  std::string head(32, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  in.clear();
  in.seekg(0);
  auto kind = c2pa::DetectContainer(head);
  if (!kind.ok() || *kind == c2pa::Container::kSidecar)
    return InvalidArgumentError("the file is not a JPEG, PNG, WAV or MP4 asset").WithField("body");
  return *kind;
}

// The manifest URN c2pa::ManifestLabel derives from `uuid` (version 4 bits set).
std::string LabelFor(std::string& uuid) {
  uuid[6] = static_cast<char>((uuid[6] & 0x0F) | 0x40);
  uuid[8] = static_cast<char>((uuid[8] & 0x3F) | 0x80);
  std::string h = HexEncode(uuid);
  return "urn:c2pa:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

// The 16 bytes of "urn:c2pa:<uuid>" (the inverse of LabelFor).
StatusOr<std::string> UuidOfLabel(const std::string& label) {
  std::string hex;
  if (label.rfind("urn:c2pa:", 0) == 0)
    for (char c : label.substr(9))
      if (c != '-') hex += c;
  auto bytes = HexDecode(hex);
  if (!bytes.ok() || bytes->size() != 16)
    return InternalError("the log entry's manifest label is not urn:c2pa:<uuid>");
  return *bytes;
}

// Holder signing, first step: records the bytes the identity would sign
// (the COSE Sig_structure of the CAWG identity assertion) and stops the
// signing there.
class CapturingSigner final : public crypto::Signer {
 public:
  CapturingSigner(crypto::PublicKey key, std::string* captured)
      : key_(std::move(key)), captured_(captured) {}
  crypto::KeyAlg alg() const override { return key_.alg(); }
  const crypto::PublicKey& public_key() const override { return key_; }
  StatusOr<std::string> Sign(std::string_view message) override {
    *captured_ = std::string(message);
    return AbortedError("holder signing: the identity's bytes are prepared");
  }
  std::string Describe() const override { return "holder (prepare)"; }

 private:
  crypto::PublicKey key_;
  std::string* captured_;
};

// Holder signing, second step: answers with the holder's signature once it
// verifies, with the card's key, over the bytes the identity signs now.
class ReplaySigner final : public crypto::Signer {
 public:
  ReplaySigner(crypto::PublicKey key, std::string signature)
      : key_(std::move(key)), signature_(std::move(signature)) {}
  crypto::KeyAlg alg() const override { return key_.alg(); }
  const crypto::PublicKey& public_key() const override { return key_; }
  StatusOr<std::string> Sign(std::string_view message) override {
    Status ok = key_.Verify(message, signature_);
    if (!ok.ok())
      return Status(InvalidArgumentError(
                        "the holder's signature does not verify with the card's key over the "
                        "prepared bytes"))
          .WithField("signature");
    return signature_;
  }
  std::string Describe() const override { return "holder (finish)"; }

 private:
  crypto::PublicKey key_;
  std::string signature_;
};

// The China AI-content implicit label (GB 45438-2025 §6; field names as
// TC260 and the cloud implementations spell them, docs/c2pa.md).
Json AiLabel(const std::string& org_id, const std::string& label, const std::string& asset_hex) {
  return {{"Label", "1"},
          {"ContentProducer", org_id},
          {"ProduceID", label},
          {"ReservedCode1", asset_hex},
          {"ContentPropagator", ""},
          {"PropagateID", ""},
          {"ReservedCode2", ""}};
}

}  // namespace

Json ContentSignResult::ToJson() const {
  Json j = {{"manifest", manifest_label},
            {"log_index", log_index},
            {"signer_serial", signer_serial},
            {"container", c2pa::ContainerName(container)},
            {"identity", !card_serial.empty()}};
  if (!card_serial.empty()) j["card_serial"] = card_serial;
  if (!identity_note.empty()) j["identity_note"] = identity_note;
  if (!tsa_url.empty()) j["tsa"] = tsa_url;
  return j;
}

ContentDesk::ContentDesk(Service& svc, Pki& pki, RevocationService& revocation,
                         CharacterRegistry& characters, WorkRegistry& works)
    : svc_(svc), pki_(&pki), rev_(&revocation), characters_(characters), works_(works) {}
ContentDesk::~ContentDesk() = default;

StatusOr<ContentDesk::Signing> ContentDesk::PrepareSigner(const Principal& p,
                                                          const std::string& org_id) {
  std::string now = FormatRfc3339(svc_.clock().Now() + std::chrono::hours(24));
  auto find = [&] {
    return svc_.Read<std::optional<store::ClaimSignerRow>>(
        [&](store::Conn& c) { return store::NewSqlContentRepo(c)->FindClaimSigner(org_id, now); });
  };
  VT_ASSIGN_OR_RETURN(auto row, find());
  if (!row) {
    VT_RETURN_IF_ERROR(pki_->IssueClaimSigningCertificate(p, org_id, {}).status());
    VT_ASSIGN_OR_RETURN(row, find());
    if (!row) return InternalError("the new claim-signing certificate is not visible");
  }
  Signing s;
  VT_ASSIGN_OR_RETURN(s.signer, OpenKeyRef(svc_.config(), row->key_ref));
  // The chain names the CA that issued this certificate (after `ca rotate-issuing`
  // not necessarily the current one).
  VT_ASSIGN_OR_RETURN(CaRecord issuing, pki_->GetCa(row->ca_id));
  s.chain = {row->cert_der, issuing.cert_der};
  s.serial = row->serial;
  s.ca_id = row->ca_id;
  // Staple vtrust's own OCSP answer for the signer (C2PA 2.2 §14.5.3).
  VT_ASSIGN_OR_RETURN(std::string req, x509::BuildOcspRequest(row->cert_der, s.chain[1]));
  RevocationBytes resp = rev_->Ocsp(ResponderOf(row->ca_id), req);
  auto checked = x509::VerifyOcspResponse(resp.der, s.chain[1], row->serial, svc_.clock().Now());
  if (checked.ok()) s.ocsp_der = resp.der;
  return s;
}

StatusOr<Written<ContentSignResult>> ContentDesk::Sign(const Principal& p, std::istream& in,
                                                       const ContentSignRequest& req,
                                                       std::ostream& out) {
  return Run(p, in, req, out, HolderStep::kNone, {}, nullptr);
}

StatusOr<Written<HolderPrepared>> ContentDesk::PrepareHolderSigning(const Principal& p,
                                                                    std::istream& in,
                                                                    const ContentSignRequest& req) {
  HolderPrepared prepared;
  std::ostringstream unused;
  VT_ASSIGN_OR_RETURN(auto w,
                      Run(p, in, req, unused, HolderStep::kPrepare, {}, &prepared.to_be_signed));
  prepared.manifest_label = w.value.manifest_label;
  prepared.log_index = w.value.log_index;
  prepared.card_serial = w.value.card_serial;
  prepared.alg = w.value.holder_alg;
  return Written<HolderPrepared>{std::move(prepared), w.receipts};
}

StatusOr<ContentSignResult> ContentDesk::FinishHolderSigning(const Principal& p, std::istream& in,
                                                             const ContentSignRequest& req,
                                                             int64_t log_index,
                                                             const std::string& signature,
                                                             std::ostream& out) {
  VT_ASSIGN_OR_RETURN(auto w, Run(p, in, req, out, HolderStep::kFinish,
                                  HolderInput{log_index, signature}, nullptr));
  return std::move(w.value);
}

StatusOr<Written<ContentSignResult>> ContentDesk::Run(const Principal& p, std::istream& in,
                                                      const ContentSignRequest& req,
                                                      std::ostream& out, HolderStep step,
                                                      const HolderInput& holder,
                                                      std::string* to_be_signed) {
  VT_ASSIGN_OR_RETURN(Character ch, characters_.Get(p, req.character_id));
  if (!(p.is_operator && p.IsAdmin()) && (p.org_id != ch.owner_org || !p.CanWrite()))
    return PermissionDeniedError("only members of " + ch.owner_org +
                                 " may sign content for character " + ch.id);
  if (ch.status != CharacterStatus::kActive)
    return FailedPreconditionError("character " + ch.id + " is retired");
  if (!req.tsa_url.empty() && !(p.is_operator && p.IsAdmin()))
    return PermissionDeniedError(
               "only operator admins may name a TSA; the server uses its configured tsa_url")
        .WithField("tsa");
  ContentSignResult result;
  c2pa::SignOptions opt;
  opt.title = req.title;
  result.tsa_url = req.tsa_url.empty() ? svc_.config().tsa_url : req.tsa_url;
  if (!result.tsa_url.empty()) {
    // sigTst2 (C2PA 2.2 §10.3.2.5): the TSA stamps the claim signature.
    opt.timestamper = [this, url = result.tsa_url](std::string_view message) {
      return FetchTimestamp(url, message, svc_.rng());
    };
  }
  for (const auto& id : req.work_ids) {
    VT_ASSIGN_OR_RETURN(Work w, works_.Get(p, id));
    c2pa::Ingredient ing;
    ing.title = w.data.titles.empty() ? w.id : w.data.titles.begin()->second;
    ing.work_id = w.id;
    VT_ASSIGN_OR_RETURN(ing.content_sha256, HexDecode(w.data.sha256));
    opt.ingredients.push_back(std::move(ing));
  }
  if (!req.sidecar) {
    VT_ASSIGN_OR_RETURN(result.container, Detect(in));
  }
  VT_ASSIGN_OR_RETURN(Signing claim, PrepareSigner(p, ch.owner_org));
  opt.claim_signer = claim.signer.get();
  opt.claim_chain_der = claim.chain;
  opt.ocsp_der = claim.ocsp_der;
  result.signer_serial = claim.serial;

  // The CAWG identity: the character's current card, when vtrust holds its
  // key; or, in the two steps of holder signing, the holder's signature.
  std::shared_ptr<crypto::Signer> identity;
  std::string card_ca;
  auto card = pki_->CurrentCard(p, ch.id);
  if (step != HolderStep::kNone) {
    VT_RETURN_IF_ERROR(card.status());
    if (card->key_ref)
      return FailedPreconditionError("card " + card->serial +
                                     " has a custodial key: vtrust signs the identity itself "
                                     "(content sign)");
    if (card->alg == crypto::KeyAlg::kSm2)
      return FailedPreconditionError("the card's key is SM2, which C2PA does not define");
    VT_ASSIGN_OR_RETURN(crypto::PublicKey key, x509::CertificatePublicKey(card->cert_der));
    identity = step == HolderStep::kPrepare
                   ? std::shared_ptr<crypto::Signer>(new CapturingSigner(key, to_be_signed))
                   : std::shared_ptr<crypto::Signer>(new ReplaySigner(key, holder.signature));
    VT_ASSIGN_OR_RETURN(x509::Ca issuing, pki_->IssuingCa(card->alg));
    opt.identity_signer = identity.get();
    opt.identity_chain_der = {card->cert_der, issuing.certificate_der()};
    result.card_serial = card->serial;
    result.holder_alg = std::string(crypto::KeyAlgName(card->alg));
    card_ca = card->ca_id;
  } else if (!card.ok()) {
    result.identity_note = "no current ID card: " + std::string(card.status().message());
  } else if (!card->key_ref) {
    result.identity_note = "the card's key is not custodial (vtrust cannot sign with it)";
  } else if (card->alg == crypto::KeyAlg::kSm2) {
    result.identity_note = "the card's key is SM2, which C2PA does not define";
  } else {
    VT_ASSIGN_OR_RETURN(identity, OpenKeyRef(svc_.config(), *card->key_ref));
    VT_ASSIGN_OR_RETURN(CaRecord issuing, pki_->GetCa(card->ca_id));
    opt.identity_signer = identity.get();
    opt.identity_chain_der = {card->cert_der, issuing.cert_der};
    result.card_serial = card->serial;
    card_ca = card->ca_id;
  }

  VT_ASSIGN_OR_RETURN(std::string asset_sha, StreamSha256(in));
  Json work_ids = req.work_ids;
  std::string container_name =
      req.sidecar ? "sidecar" : std::string(c2pa::ContainerName(result.container));
  std::vector<Json> receipts;
  if (step == HolderStep::kFinish) {
    // The second step: the manifest prepared in the first, named by its
    // content.signed entry, which must describe this very asset and signing.
    VT_ASSIGN_OR_RETURN(Json entry, ReadContentEntry(holder.log_index));
    const Json& pl = entry["payload"];
    if (entry["subject"].value("character", "") != ch.id ||
        pl.value("asset_sha256", "") != HexEncode(asset_sha) ||
        pl.value("container", "") != container_name || pl.value("works", Json()) != work_ids ||
        pl.value("card", Json::object()).value("serial", "") != result.card_serial)
      return FailedPreconditionError("log entry " + std::to_string(holder.log_index) +
                                     " was not prepared for this asset, character, works and "
                                     "card")
          .WithField("log_index");
    result.manifest_label = pl.value("manifest", "");
    VT_ASSIGN_OR_RETURN(opt.uuid_bytes, UuidOfLabel(result.manifest_label));
    result.log_index = holder.log_index;
  } else {
    opt.uuid_bytes.resize(16);
    svc_.rng().Fill(reinterpret_cast<uint8_t*>(opt.uuid_bytes.data()), 16);
    result.manifest_label = LabelFor(opt.uuid_bytes);
  }

  // The log entry first: its index goes into the manifest. (Holder signing
  // writes it in the first step; the second reuses it.)
  if (step != HolderStep::kFinish) {
    Json payload = {{"asset_sha256", HexEncode(asset_sha)},
                    {"manifest", result.manifest_label},
                    {"container", container_name},
                    {"signer", {{"serial", claim.serial}, {"ca", claim.ca_id}}},
                    {"works", work_ids}};
    if (!result.card_serial.empty())
      payload["card"] = {{"serial", result.card_serial}, {"ca", card_ca}};
    auto written = svc_.Write([&](WriteContext& ctx) -> Status {
      VT_ASSIGN_OR_RETURN(std::string e,
                          MakeEntry("content.signed", 1, ctx.clock(), {p.org_id, p.member_id},
                                    {{"character", ch.id}, {"org", ch.owner_org}}, payload));
      ctx.AppendLog(std::move(e));
      return OkStatus();
    });
    VT_RETURN_IF_ERROR(written.status());
    receipts = written->receipts;
    result.log_index = receipts.at(0).value("index", int64_t{-1});
  }

  Json registry = {{"character_id", ch.id},
                   {"org_id", ch.owner_org},
                   {"work_ids", work_ids},
                   {"log_index", result.log_index}};
  if (ch.data.ai_driven) {
    opt.digital_source_type = kSourceTrainedAlgorithmic;
    registry["AIGC"] = AiLabel(ch.owner_org, result.manifest_label, HexEncode(asset_sha));
  } else {
    opt.digital_source_type = kSourceDigitalCreation;
  }
  opt.registry_json = registry.dump();
  if (step == HolderStep::kPrepare) opt.timestamper = nullptr;  // no claim signature yet
  Status signed_status = OkStatus();
  if (req.sidecar) {
    auto store = c2pa::SignSidecar(in, opt);
    if (store.ok()) out << *store;
    signed_status = store.status();
  } else {
    signed_status = c2pa::SignStream(result.container, in, out, opt);
  }
  if (step == HolderStep::kPrepare) {
    // The capturing signer stops the signing once it holds the bytes.
    if (to_be_signed->empty())
      return signed_status.ok() ? InternalError("nothing to sign") : signed_status;
    return Written<ContentSignResult>{std::move(result), receipts};
  }
  VT_RETURN_IF_ERROR(signed_status);
  out.flush();
  if (!out) return InternalError("cannot write the signed asset");
  return Written<ContentSignResult>{std::move(result), receipts};
}

StatusOr<Json> ContentDesk::ReadContentEntry(int64_t index) {
  if (index < 0 || index >= static_cast<int64_t>(svc_.log().Published().size))
    return NotFoundError("no published log entry " + std::to_string(index)).WithField("log_index");
  VT_ASSIGN_OR_RETURN(std::string bytes, svc_.Read<std::string>([&](store::Conn& c) {
    return TransparencyLog::ReadEntry(c, index);
  }));
  Json entry = Json::parse(bytes, nullptr, false);
  if (!entry.is_object() || entry.value("type", "") != "content.signed")
    return FailedPreconditionError("log entry " + std::to_string(index) +
                                   " is not a content.signed entry")
        .WithField("log_index");
  return entry;
}

}  // namespace vt::app
