// Stored names of the identity enums (identity_types.h).
#include "store/identity/identity_types.h"

#include <array>
#include <utility>

namespace vt::store {
namespace {

template <typename E, size_t N>
std::optional<E> Find(const std::array<std::pair<E, std::string_view>, N>& names,
                      std::string_view name) {
  for (const auto& [e, n] : names)
    if (n == name) return e;
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [v, n] : names)
    if (v == e) return n;
  return "?";
}

constexpr std::array<std::pair<CharacterStatus, std::string_view>, 2> kCharacterStatus{
    {{CharacterStatus::kActive, "active"}, {CharacterStatus::kRetired, "retired"}}};
constexpr std::array<std::pair<CertStatus, std::string_view>, 2> kCertStatus{
    {{CertStatus::kGood, "good"}, {CertStatus::kRevoked, "revoked"}}};
constexpr std::array<std::pair<CertProfile, std::string_view>, 5> kCertProfile{
    {{CertProfile::kIdCard, "id-card"},
     {CertProfile::kMember, "member"},
     {CertProfile::kOcsp, "ocsp"},
     {CertProfile::kC2pa, "c2pa"},
     {CertProfile::kTsa, "tsa"}}};
constexpr std::array<std::pair<CaKind, std::string_view>, 3> kCaKind{
    {{CaKind::kRoot, "root"}, {CaKind::kIssuing, "issuing"}, {CaKind::kOcsp, "ocsp"}}};

}  // namespace

std::string_view CharacterStatusName(CharacterStatus s) { return NameOf(kCharacterStatus, s); }
std::optional<CharacterStatus> ParseCharacterStatus(std::string_view name) {
  return Find(kCharacterStatus, name);
}
std::string_view CertStatusName(CertStatus s) { return NameOf(kCertStatus, s); }
std::optional<CertStatus> ParseCertStatus(std::string_view name) { return Find(kCertStatus, name); }
std::string_view CertProfileName(CertProfile p) { return NameOf(kCertProfile, p); }
std::optional<CertProfile> ParseCertProfile(std::string_view name) {
  return Find(kCertProfile, name);
}
std::string_view CaKindName(CaKind k) { return NameOf(kCaKind, k); }
std::optional<CaKind> ParseCaKind(std::string_view name) { return Find(kCaKind, name); }

}  // namespace vt::store
