// An in-memory WitnessWriter for unit tests (no database).
#pragma once

#include <map>
#include <string>

#include "store/witness/witness_repo.h"

namespace vt::store {

class MemoryWitnessRepo final : public WitnessWriter {
 public:
  StatusOr<std::optional<WitnessStateRow>> FindState(std::string_view origin) override {
    auto it = states_.find(origin);
    if (it == states_.end()) return std::optional<WitnessStateRow>();
    return std::optional<WitnessStateRow>(it->second);
  }
  Status PutState(std::string_view origin, const WitnessStateRow& row) override {
    states_.insert_or_assign(std::string(origin), row);
    return OkStatus();
  }

 private:
  std::map<std::string, WitnessStateRow, std::less<>> states_;  // by origin
};

}  // namespace vt::store
