// Names of the rights capability's closed sets (rights_repo.h).
#include "store/rights/rights_repo.h"

namespace vt::store {
namespace {

template <typename E, size_t N>
std::optional<E> Parse(std::string_view name, const char* const (&names)[N]) {
  for (size_t i = 0; i < N; ++i)
    if (name == names[i]) return static_cast<E>(i);
  return std::nullopt;
}

// Indexed by the enumerators' values.
constexpr const char* kKinds[] = {"transfer", "licence"};
constexpr const char* kDocumentStatuses[] = {"pending", "effective"};
constexpr const char* kVersionStatuses[] = {"pending", "in_force", "superseded"};

}  // namespace

const char* DocumentKindName(DocumentKind k) { return kKinds[static_cast<int>(k)]; }
const char* DocumentStatusName(DocumentStatus s) { return kDocumentStatuses[static_cast<int>(s)]; }
const char* VersionStatusName(VersionStatus s) { return kVersionStatuses[static_cast<int>(s)]; }

std::optional<DocumentKind> ParseDocumentKind(std::string_view name) {
  return Parse<DocumentKind>(name, kKinds);
}
std::optional<DocumentStatus> ParseDocumentStatus(std::string_view name) {
  return Parse<DocumentStatus>(name, kDocumentStatuses);
}
std::optional<VersionStatus> ParseVersionStatus(std::string_view name) {
  return Parse<VersionStatus>(name, kVersionStatuses);
}

}  // namespace vt::store
