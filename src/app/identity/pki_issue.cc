// Issuance of ID cards and member certificates (docs/id-card-profile.md).
#include <unistd.h>

#include <cstdio>

#include "app/core/domain_names.h"
#include "app/identity/ca_keys.h"
#include "app/identity/characters.h"
#include "app/identity/pki.h"
#include "app/identity/pki_internal.h"
#include "base/encoding.h"
#include "domain/names.h"
#include "store/identity/identity_repo.h"
#include "x509/cert.h"
#include "x509/csr.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace {

using pki_internal::CertToRow;
using pki_internal::CheckOrgWriter;

// The subject key: the CSR's (proof of possession checked here, on the
// caller's thread) or a new custodial key kept behind `key_ref`.
struct SubjectKey {
  std::optional<crypto::PublicKey> key;
  std::string key_ref;  // custodial only
};

StatusOr<SubjectKey> PrepareKey(const Config& config, const x509::Ca& ca,
                                const std::string& issuing_key_ref, const IssueRequest& req,
                                Rng& rng) {
  if (req.lifetime_days < 0 || req.lifetime_days > 825)
    return InvalidArgumentError("lifetime_days must be 0..825").WithField("lifetime_days");
  SubjectKey out;
  if (!req.csr.empty()) {
    VT_ASSIGN_OR_RETURN(out.key, x509::VerifyCsr(req.csr, req.alg));
    return out;
  }
  // Custodial: in the issuing CA's token when it has one and can hold the alg.
  std::string token;
  auto ref = ParseKeyRef(issuing_key_ref);
  if (ref.ok() && ref->is_pkcs11() && req.alg != crypto::KeyAlg::kSm2) token = ref->token;
  std::string id(12, '\0');
  rng.Fill(reinterpret_cast<uint8_t*>(id.data()), id.size());
  VT_ASSIGN_OR_RETURN(CreatedKey k, CreateKey(config, req.alg, "card-" + HexEncode(id), token));
  (void)ca;
  out.key = k.signer->public_key();
  out.key_ref = k.key_ref;
  return out;
}

// Drops a custodial key whose certificate was not issued (sealed keys only; a
// token key stays, unused, under its random label).
void DiscardKey(const Config& config, const std::string& key_ref) {
  auto ref = ParseKeyRef(key_ref);
  if (!ref.ok() || ref->is_pkcs11()) return;
  unlink((config.data_dir + "/secrets/" + ref->secret_name + ".key").c_str());
}

// At most 64 characters (UTF-8 code points), as X.509 upper bounds require.
std::string Clip64(const std::string& s) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars == 65) return s.substr(0, i);
  }
  return s;
}

// Names stored before bidirectional formatting and zero-width characters were
// refused (docs/api.md "Names") never reach a certificate subject.
Status CheckSubjectName(const std::string& name, const std::string& what) {
  if (char32_t c = FirstHiddenCharacter(name)) {
    char cp[16];
    snprintf(cp, sizeof cp, "U+%04X", static_cast<unsigned>(c));
    return FailedPreconditionError(what + " contains the invisible or bidirectional character " +
                                   cp + "; rename it before a certificate names it");
  }
  return OkStatus();
}

struct CharacterFacts {
  std::string id, org_id;
  CharacterStatus status = CharacterStatus::kActive;
  std::string name;
  Json record;
};

StatusOr<CharacterFacts> LoadCharacter(store::IdentityReader& repo, const Principal& p,
                                       const std::string& typed) {
  auto id = x509::NormalizeRegistryId(typed);
  auto not_found = [&] { return NotFoundError("character " + typed + " not found"); };
  if (!id.ok()) return not_found();
  auto row = repo.GetCharacter(*id);
  if (!row.ok() && row.status().code() == StatusCode::kNotFound) return not_found();
  VT_RETURN_IF_ERROR(row.status());
  CharacterFacts f{row->id, row->org_id, row->status, "", Json()};
  if (!p.CanRead(f.org_id)) return not_found();
  f.record = Json::parse(row->record, nullptr, false);
  if (f.record.is_discarded() || !f.record.is_object())
    return InternalError("stored record of character " + f.id + " is corrupt");
  f.name = f.record.value("name", f.id);
  return f;
}

StatusOr<x509::IdCardRequest> CardRequest(store::IdentityReader& repo, const CharacterFacts& ch,
                                          int days) {
  x509::IdCardRequest r;
  VT_RETURN_IF_ERROR(CheckSubjectName(ch.name, "the name of character " + ch.id));
  r.primary_name = Clip64(ch.name);
  VT_ASSIGN_OR_RETURN(std::string org_name, repo.OrgName(ch.org_id));
  VT_RETURN_IF_ERROR(CheckSubjectName(org_name, "the name of organization " + ch.org_id));
  r.card.registry_id = ch.id;
  r.card.owner_org = Clip64(org_name);
  for (const auto& l : ch.record.value("likeness", Json::array())) {
    x509::LikenessFingerprint f;
    VT_ASSIGN_OR_RETURN(f.kind, x509::ParseLikenessKind(l.value("kind", "")));
    VT_ASSIGN_OR_RETURN(f.sha256, HexDecode(l.value("sha256", "")));
    VT_ASSIGN_OR_RETURN(f.sm3, HexDecode(l.value("sm3", "")));
    r.card.likeness.push_back(std::move(f));
  }
  r.card.ai_driven = ch.record.value("ai_driven", false);
  std::string code = ch.record.value("digital_human_code", Json()).is_string()
                         ? ch.record["digital_human_code"].get<std::string>()
                         : "";
  if (!code.empty()) r.card.digital_human_code = code;
  r.lifetime = std::chrono::hours(24) * days;
  return r;
}

// The row of a serial, inserted before the real signature (x509 StoreSerialFn).
x509::StoreSerialFn InsertRow(store::IdentityWriter& repo, CertRecord& rec) {
  return [&repo, &rec](const std::string& serial) {
    rec.serial = serial;
    return repo.ReserveSerial(CertToRow(rec));
  };
}

// Completes the reserved row with the signed certificate and logs it.
Status FinishRow(WriteContext& ctx, store::IdentityWriter& repo, const Principal& p,
                 const x509::IssuedCert& cert, CertRecord& rec, const std::string& type,
                 Json payload) {
  rec.cert_der = cert.der;
  rec.not_before = FormatRfc3339(cert.not_before);
  rec.not_after = FormatRfc3339(cert.not_after);
  VT_RETURN_IF_ERROR(
      repo.CompleteCertificate(rec.serial, rec.cert_der, rec.not_before, rec.not_after));
  Json subject = {{"org", rec.org_id}, {"serial", rec.serial}};
  if (rec.character_id) subject["character"] = *rec.character_id;
  if (rec.member_id) subject["member"] = *rec.member_id;
  payload.update({{"serial", rec.serial},
                  {"alg", crypto::KeyAlgName(rec.alg)},
                  {"profile", store::CertProfileName(rec.profile)},
                  {"ca", rec.ca_id},
                  {"not_before", rec.not_before},
                  {"not_after", rec.not_after},
                  {"custodial", rec.key_ref.has_value()},
                  {"certificate", Base64Encode(cert.der)}});
  // A member certificate names a person (subject CN, e-mail): certificate.issued
  // v2 carries its commitment (docs/log-entries.md). Cards and claim-signing
  // certificates name characters and organizations, public by nature.
  int version = 1;
  if (rec.profile == CertProfile::kMember) {
    payload["certificate"] = Confidential(payload["certificate"], rec.org_id);
    version = 2;
  }
  VT_ASSIGN_OR_RETURN(std::string e, MakeEntry(type, version, ctx.clock(), {p.org_id, p.member_id},
                                               subject, payload));
  ctx.AppendLog(std::move(e));
  return OkStatus();
}

}  // namespace

Json IssuedCertificate::ToJson() const {
  return {{"serial", record.serial},
          {"certificate", certificate_pem},
          {"chain", chain_pem},
          {"status", record.ToJson()}};
}

StatusOr<Written<IssuedCertificate>> Pki::IssueCard(const Principal& p,
                                                    const std::string& character_id,
                                                    const IssueRequest& req) {
  return IssueIdCardImpl(p, character_id, req, "");
}

StatusOr<Written<IssuedCertificate>> Pki::RenewCard(const Principal& p, const std::string& serial,
                                                    std::optional<crypto::KeyAlg> alg,
                                                    const std::string& csr, int lifetime_days) {
  VT_ASSIGN_OR_RETURN(CertRecord old, GetCertificate(p, serial));
  if (old.profile != CertProfile::kIdCard || !old.character_id)
    return FailedPreconditionError("certificate " + old.serial + " is not an ID card");
  IssueRequest req;
  req.alg = alg.value_or(old.alg);
  req.csr = csr;
  req.lifetime_days = lifetime_days;
  return IssueIdCardImpl(p, *old.character_id, req, old.serial);
}

StatusOr<Written<IssuedCertificate>> Pki::IssueIdCardImpl(const Principal& p,
                                                          const std::string& character_id,
                                                          const IssueRequest& req,
                                                          const std::string& supersedes) {
  // Cheap refusals first, on this thread: visibility, role, state.
  VT_ASSIGN_OR_RETURN(CharacterFacts ch, svc_.Read<CharacterFacts>([&](store::Conn& c) {
    return LoadCharacter(*store::NewSqlIdentityRepo(c), p, character_id);
  }));
  VT_RETURN_IF_ERROR(
      CheckOrgWriter(p, ch.org_id, NotFoundError("character " + character_id + " not found")));
  if (ch.status != CharacterStatus::kActive)
    return FailedPreconditionError("character " + ch.id + " is retired");
  VT_ASSIGN_OR_RETURN(auto loaded, Load(req.alg));
  VT_ASSIGN_OR_RETURN(SubjectKey key,
                      PrepareKey(svc_.config(), loaded->issuing, loaded->key_ref, req, rng_));

  // The expensive part — building, linting and signing the certificate (a throwaway
  // signature, the real one and its check) — runs here on the request thread, so the
  // single writer only stores the row and appends the log entry (docs/architecture.md
  // "write path"). The serial is random (x509::Ca); it is stored, unique, in the same
  // transaction as the certificate, and a certificate whose transaction fails is
  // never released. A serial collision (2^-63 per pair) is retried once.
  VT_ASSIGN_OR_RETURN(x509::IdCardRequest creq, svc_.Read<x509::IdCardRequest>([&](store::Conn& c) {
    return CardRequest(*store::NewSqlIdentityRepo(c), ch, req.lifetime_days);
  }));
  CertRecord rec;
  StatusOr<WriteResult> res = InternalError("not written");
  for (int attempt = 0; attempt < 2; ++attempt) {
    rec = CertRecord{};
    rec.ca_id = loaded->ca_id;
    rec.profile = CertProfile::kIdCard;
    rec.alg = req.alg;
    rec.character_id = ch.id;
    rec.org_id = ch.org_id;
    rec.status = CertStatus::kGood;
    if (!key.key_ref.empty()) rec.key_ref = key.key_ref;
    auto cert = loaded->issuing.IssueIdCard(*key.key, creq, [&rec](const std::string& serial) {
      rec.serial = serial;
      return OkStatus();
    });
    if (!cert.ok()) {
      res = cert.status();
      break;
    }
    res = svc_.Write([&](WriteContext& ctx) -> Status {
      auto repo = store::NewSqlIdentityRepo(ctx.conn());
      VT_ASSIGN_OR_RETURN(CharacterFacts now, LoadCharacter(*repo, p, ch.id));
      if (now.status != CharacterStatus::kActive)
        return FailedPreconditionError("character " + ch.id + " is retired");
      if (!supersedes.empty()) {
        VT_ASSIGN_OR_RETURN(store::CertRow old, repo->GetCertificate(supersedes));
        if (old.status != CertStatus::kGood)
          return FailedPreconditionError("card " + supersedes + " is revoked; issue a new card");
        if (old.superseded_by)
          return FailedPreconditionError("card " + supersedes + " is superseded by " +
                                         *old.superseded_by);
      }
      rec.created_at = FormatRfc3339(ctx.clock().Now());
      VT_RETURN_IF_ERROR(InsertRow(*repo, rec)(rec.serial));
      Json payload = {{"character", ch.id}};
      if (!supersedes.empty()) {
        payload["supersedes"] = supersedes;
        VT_RETURN_IF_ERROR(repo->MarkSuperseded(supersedes, rec.serial));
      }
      return FinishRow(ctx, *repo, p, *cert, rec, "card.issued", std::move(payload));
    });
    if (res.ok() || res.status().code() != StatusCode::kAlreadyExists) break;
  }
  if (!res.ok()) {
    if (!key.key_ref.empty()) DiscardKey(svc_.config(), key.key_ref);
    return std::move(res).status();
  }
  IssuedCertificate out{rec, x509::CertificateToPem(rec.cert_der), loaded->issuing_pem};
  return Written<IssuedCertificate>{std::move(out), res->receipts};
}

StatusOr<Written<IssuedCertificate>> Pki::IssueMemberCertificate(const Principal& p,
                                                                 const std::string& org_id,
                                                                 const std::string& member_id,
                                                                 const IssueRequest& req) {
  auto not_found = NotFoundError("member " + member_id + " not found");
  VT_ASSIGN_OR_RETURN(
      store::MemberFacts m,
      svc_.Read<store::MemberFacts>([&](store::Conn& c) -> StatusOr<store::MemberFacts> {
        auto r = store::NewSqlIdentityRepo(c)->GetMemberOfOrg(org_id, member_id);
        if (!r.ok() && r.status().code() == StatusCode::kNotFound) return not_found;
        return r;
      }));
  VT_RETURN_IF_ERROR(pki_internal::CheckMemberCertAuthority(p, org_id, member_id, not_found));
  if (m.removed_at) return FailedPreconditionError("member " + member_id + " was removed");
  VT_RETURN_IF_ERROR(CheckSubjectName(m.name, "the name of member " + member_id));
  VT_RETURN_IF_ERROR(CheckSubjectName(m.org_name, "the name of organization " + org_id));
  VT_ASSIGN_OR_RETURN(auto loaded, Load(req.alg));
  VT_ASSIGN_OR_RETURN(SubjectKey key,
                      PrepareKey(svc_.config(), loaded->issuing, loaded->key_ref, req, rng_));
  x509::MemberRequest mreq;
  mreq.subject = {Clip64(m.name), Clip64(m.org_name)};
  std::string email = m.email;
  bool ascii = !email.empty();
  for (char ch : email) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
  if (ascii) mreq.emails.push_back(email);
  mreq.lifetime = std::chrono::hours(24) * req.lifetime_days;

  CertRecord rec;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlIdentityRepo(ctx.conn());
    rec = CertRecord{};
    rec.ca_id = loaded->ca_id;
    rec.profile = CertProfile::kMember;
    rec.alg = req.alg;
    rec.member_id = member_id;
    rec.org_id = org_id;
    rec.status = CertStatus::kGood;
    if (!key.key_ref.empty()) rec.key_ref = key.key_ref;
    rec.created_at = FormatRfc3339(ctx.clock().Now());
    VT_ASSIGN_OR_RETURN(x509::IssuedCert cert,
                        loaded->issuing.IssueMember(*key.key, mreq, InsertRow(*repo, rec)));
    return FinishRow(ctx, *repo, p, cert, rec, "certificate.issued", {{"member", member_id}});
  });
  if (!res.ok()) {
    if (!key.key_ref.empty()) DiscardKey(svc_.config(), key.key_ref);
    return std::move(res).status();
  }
  IssuedCertificate out{rec, x509::CertificateToPem(rec.cert_der), loaded->issuing_pem};
  return Written<IssuedCertificate>{std::move(out), res->receipts};
}

StatusOr<Written<IssuedCertificate>> Pki::IssueClaimSigningCertificate(const Principal& p,
                                                                       const std::string& org_id,
                                                                       const IssueRequest& req) {
  VT_ASSIGN_OR_RETURN(Org org, svc_.GetOrg(p, org_id));
  VT_RETURN_IF_ERROR(
      CheckOrgWriter(p, org_id, NotFoundError("organization " + org_id + " not found")));
  if (req.alg == crypto::KeyAlg::kSm2)
    return InvalidArgumentError("C2PA has no SM2 algorithm").WithField("alg");
  VT_RETURN_IF_ERROR(CheckSubjectName(org.name, "the name of organization " + org_id));
  VT_ASSIGN_OR_RETURN(auto loaded, Load(req.alg));
  VT_ASSIGN_OR_RETURN(SubjectKey key,
                      PrepareKey(svc_.config(), loaded->issuing, loaded->key_ref, req, rng_));
  x509::C2paRequest creq;
  creq.subject = {Clip64(org.name + " content credentials"), Clip64(org.name)};
  creq.lifetime = std::chrono::hours(24) * req.lifetime_days;
  CertRecord rec;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlIdentityRepo(ctx.conn());
    rec = CertRecord{};
    rec.ca_id = loaded->ca_id;
    rec.profile = CertProfile::kC2pa;
    rec.alg = req.alg;
    rec.org_id = org_id;
    rec.status = CertStatus::kGood;
    if (!key.key_ref.empty()) rec.key_ref = key.key_ref;
    rec.created_at = FormatRfc3339(ctx.clock().Now());
    VT_ASSIGN_OR_RETURN(x509::IssuedCert cert,
                        loaded->issuing.IssueC2paSigning(*key.key, creq, InsertRow(*repo, rec)));
    return FinishRow(ctx, *repo, p, cert, rec, "certificate.issued",
                     {{"purpose", "c2pa-claim-signing"}});
  });
  if (!res.ok()) {
    if (!key.key_ref.empty()) DiscardKey(svc_.config(), key.key_ref);
    return std::move(res).status();
  }
  IssuedCertificate out{rec, x509::CertificateToPem(rec.cert_der), loaded->issuing_pem};
  return Written<IssuedCertificate>{std::move(out), res->receipts};
}

StatusOr<Written<IssuedCertificate>> Pki::IssueTsaCertificate(const Principal& p,
                                                              int lifetime_days) {
  if (!p.is_operator || !p.IsAdmin())
    return PermissionDeniedError("only operator admins may issue the TSA certificate");
  if (lifetime_days < 0 || lifetime_days > 825)
    return InvalidArgumentError("lifetime_days must be 0..825").WithField("lifetime_days");
  VT_ASSIGN_OR_RETURN(Org org, svc_.GetOrg(p, p.org_id));
  VT_ASSIGN_OR_RETURN(auto loaded, Load(crypto::KeyAlg::kP256));
  std::string id(12, '\0');
  rng_.Fill(reinterpret_cast<uint8_t*>(id.data()), id.size());
  VT_ASSIGN_OR_RETURN(CreatedKey key,
                      CreateKey(svc_.config(), crypto::KeyAlg::kP256, "tsa-" + HexEncode(id)));
  x509::SubjectName subject{Clip64(org.name + " Time-Stamping Authority"), Clip64(org.name)};
  CertRecord rec;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlIdentityRepo(ctx.conn());
    rec = CertRecord{};
    rec.ca_id = CaId(crypto::KeyAlg::kP256, CaKind::kIssuing);
    rec.profile = CertProfile::kTsa;
    rec.alg = crypto::KeyAlg::kP256;
    rec.org_id = p.org_id;
    rec.status = CertStatus::kGood;
    rec.key_ref = key.key_ref;
    rec.created_at = FormatRfc3339(ctx.clock().Now());
    VT_ASSIGN_OR_RETURN(x509::IssuedCert cert,
                        loaded->issuing.IssueTimeStamping(key.signer->public_key(), subject,
                                                          std::chrono::hours(24) * lifetime_days,
                                                          InsertRow(*repo, rec)));
    return FinishRow(ctx, *repo, p, cert, rec, "certificate.issued",
                     {{"purpose", "time-stamping"}});
  });
  if (!res.ok()) {
    DiscardKey(svc_.config(), key.key_ref);
    return std::move(res).status();
  }
  IssuedCertificate out{rec, x509::CertificateToPem(rec.cert_der), loaded->issuing_pem};
  return Written<IssuedCertificate>{std::move(out), res->receipts};
}

}  // namespace vt::app
