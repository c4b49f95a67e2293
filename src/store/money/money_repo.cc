// The names of the money enums (money_repo.h).
#include "store/money/money_repo.h"

#include <array>

namespace vt::store {
namespace {

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kAccountKinds = {"revenue", "collection", "payable",
                                                           "hold"};
constexpr std::array<std::string_view, 5> kMovementKinds = {"receipt", "settlement", "reversal",
                                                            "hold", "release"};
constexpr std::array<std::string_view, 2> kRunStatuses = {"active", "corrected"};

}  // namespace

std::string_view LedgerAccountKindName(LedgerAccountKind k) {
  return kAccountKinds[static_cast<size_t>(k)];
}
std::string_view MovementKindName(MovementKind k) { return kMovementKinds[static_cast<size_t>(k)]; }
std::string_view RunStatusName(RunStatus s) { return kRunStatuses[static_cast<size_t>(s)]; }
std::optional<LedgerAccountKind> ParseLedgerAccountKind(std::string_view n) {
  return Parse<LedgerAccountKind>(kAccountKinds, n);
}
std::optional<MovementKind> ParseMovementKind(std::string_view n) {
  return Parse<MovementKind>(kMovementKinds, n);
}
std::optional<RunStatus> ParseRunStatus(std::string_view n) {
  return Parse<RunStatus>(kRunStatuses, n);
}

}  // namespace vt::store
