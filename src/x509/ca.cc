#include "x509/ca.h"

#include "x509/ca_state.h"
#include "x509/cert.h"
#include "x509/csr.h"
#include "x509/lint_internal.h"
#include "x509/registry_id.h"

namespace vt::x509 {
namespace {

Status CheckIsCa(X509* x) {
  ossl::BasicConstraintsPtr bc(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(x, NID_basic_constraints, nullptr, nullptr)));
  bool ca = bc && bc->ca != 0;
  bool cert_sign = (X509_get_key_usage(x) & KU_KEY_CERT_SIGN) != 0;
  ossl::ClearErrors();
  if (!ca || !cert_sign) {
    return InvalidArgumentError("certificate is not a CA (basicConstraints cA + keyCertSign)")
        .WithField("certificate");
  }
  return OkStatus();
}

}  // namespace

StatusOr<Ca> Ca::Create(std::string_view certificate, std::shared_ptr<crypto::Signer> signer,
                        CaUrls urls, const Clock& clock, Rng& rng) {
  if (!signer) return InvalidArgumentError("no signer").WithField("signer");
  auto state = std::make_shared<State>();
  VT_ASSIGN_OR_RETURN(state->der, CertificateToDer(certificate));
  state->cert = ossl::ParseDerExact<ossl::X509Ptr>(state->der, d2i_X509);
  if (!state->cert) {
    ossl::ClearErrors();
    return InvalidArgumentError("CA certificate does not parse").WithField("certificate");
  }
  VT_RETURN_IF_ERROR(CheckIsCa(state->cert.get()));
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, CertificatePublicKey(state->der));
  if (!(key == signer->public_key())) {
    return FailedPreconditionError("signer " + signer->Describe() +
                                   " does not hold the CA certificate's key");
  }
  VT_ASSIGN_OR_RETURN(auto throwaway, internal::ThrowawayKey::Generate(key.alg()));
  state->key = key;
  state->throwaway.emplace(std::move(throwaway));
  X509_NAME* subject = X509_get_subject_name(state->cert.get());
  state->name.common_name = internal::NameEntryUtf8(subject, NID_commonName);
  state->name.organization = internal::NameEntryUtf8(subject, NID_organizationName);
  state->is_root = X509_NAME_cmp(subject, X509_get_issuer_name(state->cert.get())) == 0;
  state->signer = std::move(signer);
  state->urls = std::move(urls);
  state->clock = &clock;
  state->rng = &rng;
  return Ca(std::move(state));
}

StatusOr<IssuedCert> Ca::CreateRoot(crypto::Signer& signer, const SubjectName& name,
                                    std::chrono::seconds lifetime, const Clock& clock, Rng& rng,
                                    const StoreSerialFn& store_serial) {
  VT_ASSIGN_OR_RETURN(auto throwaway, internal::ThrowawayKey::Generate(signer.alg()));
  internal::IssuerContext ctx;
  ctx.signer = &signer;
  ctx.throwaway = &throwaway;
  ctx.clock = &clock;
  ctx.rng = &rng;
  CertRequest request;
  request.subject = name;
  request.lifetime = lifetime;
  return internal::IssueCertificate(ctx, GetProfile(ProfileId::kRootCa), signer.public_key(),
                                    request, store_serial);
}

StatusOr<IssuedCert> Ca::Issue(const Profile& profile, const crypto::PublicKey& key,
                               const CertRequest& request,
                               const StoreSerialFn& store_serial) const {
  if (profile.id == ProfileId::kRootCa) {
    return FailedPreconditionError("roots are self-signed: use Ca::CreateRoot");
  }
  if ((profile.id == ProfileId::kIssuingCa) != state_->is_root) {
    return FailedPreconditionError(state_->is_root ? "a root issues only issuing CAs"
                                                   : "only a root issues CA certificates");
  }
  if (key.alg() != alg()) {
    return InvalidArgumentError("key is " + std::string(crypto::KeyAlgName(key.alg())) +
                                " but this CA issues " + std::string(crypto::KeyAlgName(alg())))
        .WithField("key");
  }
  return internal::IssueCertificate(state_->Context(), profile, key, request, store_serial);
}

StatusOr<IssuedCert> Ca::IssueIssuingCa(const crypto::PublicKey& key, const SubjectName& name,
                                        std::chrono::seconds lifetime,
                                        const StoreSerialFn& store_serial) const {
  CertRequest request;
  request.subject = name;
  request.lifetime = lifetime;
  return Issue(GetProfile(ProfileId::kIssuingCa), key, request, store_serial);
}

StatusOr<IssuedCert> Ca::IssueIdCard(const crypto::PublicKey& key, const IdCardRequest& request,
                                     const StoreSerialFn& store_serial) const {
  VT_RETURN_IF_ERROR(ValidateIdCardExtension(request.card));
  CertRequest cert;
  cert.subject = {request.primary_name, request.card.owner_org};
  cert.san_uris = {CharacterUrn(request.card.registry_id)};
  cert.id_card = request.card;
  cert.lifetime = request.lifetime;
  return Issue(GetProfile(ProfileId::kIdCard), key, cert, store_serial);
}

StatusOr<IssuedCert> Ca::IssueIdCardFromCsr(std::string_view csr, const IdCardRequest& request,
                                            const StoreSerialFn& store_serial) const {
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, VerifyCsr(csr, alg()));
  return IssueIdCard(key, request, store_serial);
}

StatusOr<IssuedCert> Ca::IssueMember(const crypto::PublicKey& key, const MemberRequest& request,
                                     const StoreSerialFn& store_serial) const {
  CertRequest cert;
  cert.subject = request.subject;
  cert.san_emails = request.emails;
  cert.lifetime = request.lifetime;
  return Issue(GetProfile(ProfileId::kMember), key, cert, store_serial);
}

StatusOr<IssuedCert> Ca::IssueOcspSigning(const crypto::PublicKey& key,
                                          std::chrono::seconds lifetime,
                                          const StoreSerialFn& store_serial) const {
  CertRequest cert;
  // "<CA name> OCSP Responder", or just "OCSP Responder" past the 64-character CN limit.
  std::string cn = state_->name.common_name + " OCSP Responder";
  size_t chars = 0;
  for (unsigned char c : cn) chars += (c & 0xc0) != 0x80;
  cert.subject = {chars <= 64 ? cn : "OCSP Responder", state_->name.organization};
  cert.lifetime = lifetime;
  return Issue(GetProfile(ProfileId::kOcspSigning), key, cert, store_serial);
}

StatusOr<IssuedCert> Ca::IssueC2paSigning(const crypto::PublicKey& key, const C2paRequest& request,
                                          const StoreSerialFn& store_serial) const {
  CertRequest cert;
  cert.subject = request.subject;
  if (request.character_id) cert.san_uris = {CharacterUrn(*request.character_id)};
  cert.lifetime = request.lifetime;
  return Issue(GetProfile(ProfileId::kC2paSigning), key, cert, store_serial);
}

StatusOr<IssuedCert> Ca::IssueTimeStamping(const crypto::PublicKey& key, const SubjectName& subject,
                                           std::chrono::seconds lifetime,
                                           const StoreSerialFn& store_serial) const {
  CertRequest cert;
  cert.subject = subject;
  cert.lifetime = lifetime;
  return Issue(GetProfile(ProfileId::kTimeStamping), key, cert, store_serial);
}

crypto::KeyAlg Ca::alg() const { return state_->signer->alg(); }
bool Ca::is_root() const { return state_->is_root; }
const std::string& Ca::certificate_der() const { return state_->der; }
std::string Ca::certificate_pem() const { return CertificateToPem(state_->der); }
const SubjectName& Ca::name() const { return state_->name; }
const CaUrls& Ca::urls() const { return state_->urls; }

}  // namespace vt::x509
