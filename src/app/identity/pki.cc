// The CA of the registry: set-up (ca init), loading the CAs, reads.
#include "app/identity/pki.h"

#include <optional>
#include <unordered_map>

#include "app/core/domain_names.h"
#include "app/identity/ca_keys.h"
#include "app/identity/pki_internal.h"
#include "base/encoding.h"
#include "store/identity/identity_repo.h"
#include "x509/cert.h"

namespace vt::app {
namespace {

using pki_internal::CaFromRow;
using pki_internal::CaToRow;

std::string AlgTitle(crypto::KeyAlg alg) {
  switch (alg) {
    case crypto::KeyAlg::kP256:
      return "P-256";
    case crypto::KeyAlg::kEd25519:
      return "Ed25519";
    case crypto::KeyAlg::kSm2:
      return "SM2";
  }
  return "?";
}

std::string RandomSuffix(Rng& rng) {
  std::string b(4, '\0');
  rng.Fill(reinterpret_cast<uint8_t*>(b.data()), b.size());
  return HexEncode(b);
}

// One CA's keys, created before the set-up transaction (token or sealed).
struct PendingCa {
  crypto::KeyAlg alg;
  CreatedKey root, issuing, ocsp;
};

StatusOr<PendingCa> CreateKeys(const Config& config, crypto::KeyAlg alg, const std::string& token,
                               Rng& rng) {
  std::string a(crypto::KeyAlgName(alg)), sfx = RandomSuffix(rng);
  std::string tok = alg == crypto::KeyAlg::kSm2 ? "" : token;
  PendingCa out{alg, {}, {}, {}};
  VT_ASSIGN_OR_RETURN(out.root, CreateKey(config, alg, "ca-" + a + "-root-" + sfx, tok));
  VT_ASSIGN_OR_RETURN(out.issuing, CreateKey(config, alg, "ca-" + a + "-issuing-" + sfx, tok));
  VT_ASSIGN_OR_RETURN(out.ocsp, CreateKey(config, alg, "ca-" + a + "-ocsp-" + sfx));
  return out;
}

// Issues an issuing CA under `root_ca` and its delegated OCSP signer, with the
// CA rows "<responder>-issuing" and "<responder>-ocsp", inside a write.
Status CreateIssuing(WriteContext& ctx, const Config& config, const std::string& operator_org,
                     x509::Ca& root_ca, crypto::KeyAlg alg, const std::string& responder,
                     const CreatedKey& issuing_key, const CreatedKey& ocsp_key, Rng& rng,
                     std::vector<CaRecord>& out) {
  auto repo = store::NewSqlIdentityRepo(ctx.conn());
  std::string a(crypto::KeyAlgName(alg)), now = FormatRfc3339(ctx.clock().Now());
  auto no_store = [](const std::string&) { return OkStatus(); };
  VT_ASSIGN_OR_RETURN(x509::IssuedCert issuing,
                      root_ca.IssueIssuingCa(issuing_key.signer->public_key(),
                                             {"vtrust Issuing CA " + AlgTitle(alg), "vtrust"},
                                             std::chrono::seconds(0), no_store));
  VT_ASSIGN_OR_RETURN(x509::Ca issuing_ca,
                      x509::Ca::Create(issuing.der, issuing_key.signer,
                                       CaUrlsForResponder(config, responder), ctx.clock(), rng));
  CaRecord r_iss{responder + "-issuing", alg, CaKind::kIssuing, issuing.der,
                 issuing_key.key_ref,    now};
  VT_RETURN_IF_ERROR(repo->InsertCa(CaToRow(r_iss)));
  // The OCSP-signing certificate is an ordinary serial of the issuing CA.
  auto store_ocsp = [&](const std::string& serial) {
    store::CertRow row;
    row.serial = serial;
    row.ca_id = r_iss.id;
    row.profile = CertProfile::kOcsp;
    row.alg = a;
    row.org_id = operator_org;
    row.created_at = now;
    return repo->ReserveSerial(row);
  };
  VT_ASSIGN_OR_RETURN(x509::IssuedCert ocsp,
                      issuing_ca.IssueOcspSigning(ocsp_key.signer->public_key(),
                                                  std::chrono::hours(24 * 90), store_ocsp));
  VT_RETURN_IF_ERROR(repo->CompleteCertificate(
      ocsp.serial_hex, ocsp.der, FormatRfc3339(ocsp.not_before), FormatRfc3339(ocsp.not_after)));
  CaRecord r_ocsp{responder + "-ocsp", alg, CaKind::kOcsp, ocsp.der, ocsp_key.key_ref, now};
  VT_RETURN_IF_ERROR(repo->InsertCa(CaToRow(r_ocsp)));
  out.push_back(r_iss);
  out.push_back(r_ocsp);
  return OkStatus();
}

// Issues the three certificates of one algorithm inside the set-up transaction.
Status CreateHierarchy(WriteContext& ctx, const Config& config, const std::string& operator_org,
                       PendingCa& k, Rng& rng, std::vector<CaRecord>& out) {
  auto repo = store::NewSqlIdentityRepo(ctx.conn());
  std::string now = FormatRfc3339(ctx.clock().Now());
  auto no_store = [](const std::string&) { return OkStatus(); };
  VT_ASSIGN_OR_RETURN(
      x509::IssuedCert root,
      x509::Ca::CreateRoot(*k.root.signer, {"vtrust Root CA " + AlgTitle(k.alg), "vtrust"},
                           std::chrono::seconds(0), ctx.clock(), rng, no_store));
  VT_ASSIGN_OR_RETURN(x509::Ca root_ca,
                      x509::Ca::Create(root.der, k.root.signer, {}, ctx.clock(), rng));
  CaRecord r_root{CaId(k.alg, CaKind::kRoot), k.alg, CaKind::kRoot, root.der, k.root.key_ref, now};
  VT_RETURN_IF_ERROR(repo->InsertCa(CaToRow(r_root)));
  out.push_back(r_root);
  return CreateIssuing(ctx, config, operator_org, root_ca, k.alg,
                       std::string(crypto::KeyAlgName(k.alg)), k.issuing, k.ocsp, rng, out);
}

Json CaEntryJson(const CaRecord& r) {
  bool token = r.key_ref.rfind("pkcs11:", 0) == 0;
  return {{"id", r.id},
          {"alg", crypto::KeyAlgName(r.alg)},
          {"kind", store::CaKindName(r.kind)},
          {"key_custody", token ? "pkcs11" : "sealed"},
          {"certificate", Base64Encode(r.cert_der)}};
}

}  // namespace

std::string CaId(crypto::KeyAlg alg, CaKind kind) {
  return std::string(crypto::KeyAlgName(alg)) + "-" + std::string(store::CaKindName(kind));
}

x509::CaUrls CaUrlsFor(const Config& config, crypto::KeyAlg alg) {
  return CaUrlsForResponder(config, std::string(crypto::KeyAlgName(alg)));
}

x509::CaUrls CaUrlsForResponder(const Config& config, const std::string& responder) {
  std::string base = config.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return {base + "/pki/ocsp/" + responder, base + "/pki/ca/" + responder + "-issuing.der",
          base + "/pki/crl/" + responder + ".crl"};
}

std::string ResponderOf(const std::string& ca_id) {
  const std::string suffix = "-issuing";
  if (ca_id.size() > suffix.size() && ca_id.ends_with(suffix))
    return ca_id.substr(0, ca_id.size() - suffix.size());
  return ca_id;
}

StatusOr<crypto::KeyAlg> ParseCardAlg(const std::string& name) {
  auto a = crypto::ParseKeyAlg(name);
  if (!a.ok())
    return InvalidArgumentError("alg must be p256, ed25519 or sm2, not '" + name + "'")
        .WithField("alg");
  return *a;
}

Json CaRecord::ToJson() const {
  return {{"id", id},
          {"alg", crypto::KeyAlgName(alg)},
          {"kind", store::CaKindName(kind)},
          {"key_ref", key_ref},
          {"created_at", created_at},
          {"certificate", x509::CertificateToPem(cert_der)}};
}

Pki::Pki(Service& svc, Rng& rng) : svc_(svc), rng_(rng) {}

StatusOr<Written<std::vector<CaRecord>>> Pki::InitCa(const Principal& p,
                                                     const CaInitOptions& options) {
  if (!p.is_operator || !p.IsAdmin())
    return PermissionDeniedError("only an admin of the operator organization may set up the CA");
  VT_ASSIGN_OR_RETURN(bool done, Initialized());
  if (done) return FailedPreconditionError("the CA is initialized already");
  std::vector<PendingCa> keys;
  for (crypto::KeyAlg alg : kCaAlgs) {
    VT_ASSIGN_OR_RETURN(PendingCa k, CreateKeys(svc_.config(), alg, options.pkcs11_token, rng_));
    keys.push_back(std::move(k));
  }
  std::vector<CaRecord> out;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    out.clear();
    VT_ASSIGN_OR_RETURN(bool any, store::NewSqlIdentityRepo(ctx.conn())->AnyCa());
    if (any) return FailedPreconditionError("the CA is initialized already");
    for (auto& k : keys)
      VT_RETURN_IF_ERROR(CreateHierarchy(ctx, svc_.config(), p.org_id, k, rng_, out));
    Json cas = Json::array();
    for (const auto& r : out) cas.push_back(CaEntryJson(r));
    VT_ASSIGN_OR_RETURN(std::string e,
                        MakeEntry("ca.initialized", 1, ctx.clock(), {p.org_id, p.member_id},
                                  {{"org", p.org_id}}, {{"cas", cas}}));
    ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<std::vector<CaRecord>>{out, res->receipts};
}

StatusOr<Written<std::vector<CaRecord>>> Pki::RotateIssuing(const Principal& p, crypto::KeyAlg alg,
                                                            std::shared_ptr<crypto::Signer> root) {
  if (!p.is_operator || !p.IsAdmin())
    return PermissionDeniedError("only an admin of the operator organization may rotate a CA");
  auto root_rec = GetCa(CaId(alg, CaKind::kRoot));
  if (!root_rec.ok() && root_rec.status().code() == StatusCode::kNotFound)
    return FailedPreconditionError("the CA is not initialized (run `vtrust ca init`)");
  VT_RETURN_IF_ERROR(root_rec.status());
  VT_ASSIGN_OR_RETURN(x509::Ca root_ca,
                      x509::Ca::Create(root_rec->cert_der, root, {}, svc_.clock(), rng_));
  VT_ASSIGN_OR_RETURN(auto root_info, x509::InspectCertificate(root_rec->cert_der));
  if (root_info.public_key_der != root->public_key().ToDer())
    return InvalidArgumentError("the key is not the key of the " + root_rec->id + " certificate")
        .WithField("root_key");
  std::string a(crypto::KeyAlgName(alg)), sfx = RandomSuffix(rng_);
  std::string responder = a + "-" + sfx;
  VT_ASSIGN_OR_RETURN(CreatedKey issuing_key,
                      CreateKey(svc_.config(), alg, "ca-" + a + "-issuing-" + sfx));
  VT_ASSIGN_OR_RETURN(CreatedKey ocsp_key,
                      CreateKey(svc_.config(), alg, "ca-" + a + "-ocsp-" + sfx));
  std::vector<CaRecord> out;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    out.clear();
    VT_RETURN_IF_ERROR(CreateIssuing(ctx, svc_.config(), p.org_id, root_ca, alg, responder,
                                     issuing_key, ocsp_key, rng_, out));
    Json cas = Json::array();
    for (const auto& r : out) cas.push_back(CaEntryJson(r));
    VT_ASSIGN_OR_RETURN(std::string e,
                        MakeEntry("ca.issuing_rotated", 1, ctx.clock(), {p.org_id, p.member_id},
                                  {{"org", p.org_id}}, {{"root", root_rec->id}, {"cas", cas}}));
    ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  {
    std::lock_guard<std::mutex> lock(mu_);
    loaded_.erase(alg);  // this process issues from the new CA from now on
  }
  return Written<std::vector<CaRecord>>{out, res->receipts};
}

StatusOr<bool> Pki::Initialized() {
  return svc_.Read<bool>([](store::Conn& c) { return store::NewSqlIdentityRepo(c)->AnyCa(); });
}

StatusOr<CaRecord> Pki::GetCa(const std::string& ca_id) {
  return svc_.Read<CaRecord>([&](store::Conn& c) -> StatusOr<CaRecord> {
    auto row = store::NewSqlIdentityRepo(c)->GetCa(ca_id);
    if (!row.ok() && row.status().code() == StatusCode::kNotFound)
      return NotFoundError("no CA " + ca_id + " (run `vtrust ca init`)");
    VT_RETURN_IF_ERROR(row.status());
    return CaFromRow(*row);
  });
}

StatusOr<std::map<std::string, std::string>> Pki::RootsPem() {
  std::map<std::string, std::string> out;
  for (crypto::KeyAlg alg : kCaAlgs) {
    auto r = GetCa(CaId(alg, CaKind::kRoot));
    if (!r.ok() && r.status().code() == StatusCode::kNotFound)
      return FailedPreconditionError("the CA is not initialized (run `vtrust ca init`)");
    VT_RETURN_IF_ERROR(r.status());
    out[std::string(crypto::KeyAlgName(r->alg))] = x509::CertificateToPem(r->cert_der);
  }
  return out;
}

StatusOr<std::shared_ptr<const Pki::Loaded>> Pki::Load(crypto::KeyAlg alg) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = loaded_.find(alg);
    if (it != loaded_.end()) return it->second;
  }
  // The current issuing CA: the newest issuing row of `alg` (RotateIssuing).
  VT_ASSIGN_OR_RETURN(auto rows, svc_.Read<std::vector<store::CaRow>>([](store::Conn& c) {
    return store::NewSqlIdentityRepo(c)->ListCas();
  }));
  std::optional<CaRecord> rec;
  for (const auto& row : rows) {
    if (row.kind != CaKind::kIssuing) continue;
    VT_ASSIGN_OR_RETURN(CaRecord r, CaFromRow(row));
    if (r.alg == alg) rec = std::move(r);
  }
  if (!rec) return FailedPreconditionError("the CA is not initialized (run `vtrust ca init`)");
  VT_ASSIGN_OR_RETURN(auto signer, OpenKeyRef(svc_.config(), rec->key_ref));
  VT_ASSIGN_OR_RETURN(x509::Ca ca,
                      x509::Ca::Create(rec->cert_der, signer,
                                       CaUrlsForResponder(svc_.config(), ResponderOf(rec->id)),
                                       svc_.clock(), rng_));
  auto loaded =
      std::make_shared<const Loaded>(Loaded{ca, ca.certificate_pem(), rec->key_ref, rec->id});
  std::lock_guard<std::mutex> lock(mu_);
  return loaded_.emplace(alg, loaded).first->second;
}

StatusOr<x509::Ca> Pki::IssuingCa(crypto::KeyAlg alg) {
  VT_ASSIGN_OR_RETURN(auto l, Load(alg));
  return l->issuing;
}

void Pki::AddRevocationListener(std::function<void(const std::string&, const std::string&)> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.push_back(std::move(fn));
}

}  // namespace vt::app
