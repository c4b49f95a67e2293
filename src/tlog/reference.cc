#include "tlog/reference.h"

#include <cstdlib>

namespace vt::tlog::reference {
namespace {

void Path(int64_t m, std::span<const Hash> d, std::vector<Hash>* out) {
  const int64_t n = static_cast<int64_t>(d.size());
  if (n <= 1) return;
  const int64_t k = SplitPoint(n);
  if (m < k) {
    Path(m, d.subspan(0, k), out);
    out->push_back(RootHash(d.subspan(k)));
  } else {
    Path(m - k, d.subspan(k), out);
    out->push_back(RootHash(d.subspan(0, k)));
  }
}

void SubProof(int64_t m, std::span<const Hash> d, bool b, std::vector<Hash>* out) {
  const int64_t n = static_cast<int64_t>(d.size());
  if (m == n) {
    if (!b) out->push_back(RootHash(d));
    return;
  }
  const int64_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(m, d.subspan(0, k), b, out);
    out->push_back(RootHash(d.subspan(k)));
  } else {
    SubProof(m - k, d.subspan(k), false, out);
    out->push_back(RootHash(d.subspan(0, k)));
  }
}

}  // namespace

Hash RootHash(std::span<const Hash> leaves) {
  if (leaves.empty()) return EmptyRoot();
  if (leaves.size() == 1) return leaves[0];
  const int64_t k = SplitPoint(static_cast<int64_t>(leaves.size()));
  return NodeHash(RootHash(leaves.subspan(0, k)), RootHash(leaves.subspan(k)));
}

std::vector<Hash> InclusionProof(int64_t m, std::span<const Hash> leaves) {
  if (m < 0 || m >= static_cast<int64_t>(leaves.size())) std::abort();
  std::vector<Hash> out;
  Path(m, leaves, &out);
  return out;
}

std::vector<Hash> ConsistencyProof(int64_t m, std::span<const Hash> leaves) {
  const int64_t n = static_cast<int64_t>(leaves.size());
  if (m < 0 || m > n) std::abort();
  std::vector<Hash> out;
  if (m == 0 || m == n) return out;
  SubProof(m, leaves, true, &out);
  return out;
}

}  // namespace vt::tlog::reference
