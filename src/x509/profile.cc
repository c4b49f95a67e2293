#include "x509/profile.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using std::chrono::hours;

constexpr auto kDay = hours(24);
constexpr auto kYear = hours(24 * 365);

std::vector<KeyAlg> AllAlgs() { return {KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2}; }

Profile Ca(ProfileId id, std::optional<int> path_len, std::chrono::seconds def,
           std::chrono::seconds max) {
  Profile p;
  p.id = id;
  p.is_ca = true;
  p.path_len = path_len;
  p.key_usage = kKuKeyCertSign | kKuCrlSign;
  p.default_lifetime = def;
  p.max_lifetime = max;
  p.key_algs = AllAlgs();
  p.requires_org = true;
  return p;
}

Profile EndEntity(ProfileId id, uint32_t ku, std::vector<std::string> ekus) {
  Profile p;
  p.id = id;
  p.key_usage = ku;
  p.ekus = std::move(ekus);
  p.default_lifetime = kYear;
  p.max_lifetime = 825 * kDay;
  p.key_algs = AllAlgs();
  p.revocable = true;
  return p;
}

Profile Make(ProfileId id) {
  switch (id) {
    case ProfileId::kRootCa:
      return Ca(id, std::nullopt, 20 * kYear, 25 * kYear);
    case ProfileId::kIssuingCa:
      return Ca(id, 0, 5 * kYear, 10 * kYear);
    case ProfileId::kIdCard: {
      // documentSigning: the card key signs CAWG identity assertions (docs/c2pa.md).
      Profile p = EndEntity(id, kKuDigitalSignature,
                            {std::string(kEkuClientAuth), std::string(kEkuDocumentSigning)});
      p.requires_org = true;
      p.character = true;
      return p;
    }
    case ProfileId::kMember: {
      Profile p = EndEntity(id, kKuDigitalSignature | kKuNonRepudiation,
                            {std::string(kEkuDocumentSigning), std::string(kEkuEmailProtection)});
      p.requires_org = true;
      return p;
    }
    case ProfileId::kOcspSigning: {
      Profile p = EndEntity(id, kKuDigitalSignature, {std::string(kEkuOcspSigning)});
      p.revocable = false;  // id-pkix-ocsp-nocheck instead (RFC 6960 §4.2.2.2.1)
      p.ocsp_nocheck = true;
      p.default_lifetime = 30 * kDay;
      p.max_lifetime = 90 * kDay;
      return p;
    }
    case ProfileId::kC2paSigning: {
      Profile p = EndEntity(id, kKuDigitalSignature,
                            {std::string(kEkuC2paClaimSigning), std::string(kEkuEmailProtection)});
      p.requires_org = true;
      p.key_algs = {KeyAlg::kP256, KeyAlg::kEd25519};  // C2PA has no SM2 algorithm
      return p;
    }
    case ProfileId::kTimeStamping: {
      // RFC 3161 §2.3: exactly one EKU, id-kp-timeStamping, critical. P-256
      // only: OpenSSL's responder signs CMS with the key itself.
      Profile p = EndEntity(id, kKuDigitalSignature, {std::string(kEkuTimeStamping)});
      p.eku_critical = true;
      p.requires_org = true;
      p.key_algs = {KeyAlg::kP256};
      return p;
    }
  }
  std::abort();
}

}  // namespace

std::string_view ProfileName(ProfileId id) {
  switch (id) {
    case ProfileId::kRootCa:
      return "root-ca";
    case ProfileId::kIssuingCa:
      return "issuing-ca";
    case ProfileId::kIdCard:
      return "id-card";
    case ProfileId::kMember:
      return "member";
    case ProfileId::kOcspSigning:
      return "ocsp-signing";
    case ProfileId::kC2paSigning:
      return "c2pa-signing";
    case ProfileId::kTimeStamping:
      return "time-stamping";
  }
  return "unknown";
}

const Profile& GetProfile(ProfileId id) {
  static const Profile kProfiles[] = {
      Make(ProfileId::kRootCa),       Make(ProfileId::kIssuingCa),   Make(ProfileId::kIdCard),
      Make(ProfileId::kMember),       Make(ProfileId::kOcspSigning), Make(ProfileId::kC2paSigning),
      Make(ProfileId::kTimeStamping),
  };
  return kProfiles[static_cast<int>(id)];
}

}  // namespace vt::x509
