#include "settlement/amount_sum.h"

#include <string>

namespace vt::settlement {

StatusOr<Amount> AmountSum::Total(std::string_view field) const {
  if (sum_ > kMaxAmount || sum_ < -kMaxAmount) {
    return OutOfRangeError("the sum leaves the exact amount range ±" + std::to_string(kMaxAmount))
        .WithField(std::string(field));
  }
  return static_cast<Amount>(sum_);
}

}  // namespace vt::settlement
