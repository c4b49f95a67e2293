// A slow, obviously-correct Merkle tree written straight from RFC 6962 §2.1
// (MTH, PATH, PROOF/SUBPROOF), used to cross-check the tiled implementation in
// tests. It operates on leaf hashes (MTH of a one-element list is its leaf hash)
// and recurses over the whole list, so it costs O(n) hashes per call.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tlog/hash.h"

namespace vt::tlog::reference {

// MTH(D[0:n]) for leaf hashes `leaves` (RFC 6962 §2.1). Empty list: EmptyRoot().
Hash RootHash(std::span<const Hash> leaves);

// PATH(m, D[n]) (RFC 6962 §2.1.1), leaf sibling first. Precondition: m < n.
std::vector<Hash> InclusionProof(int64_t m, std::span<const Hash> leaves);

// PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 6962 §2.1.2).
// Returns an empty proof for m == 0 and m == n. Precondition: m <= n.
std::vector<Hash> ConsistencyProof(int64_t m, std::span<const Hash> leaves);

}  // namespace vt::tlog::reference
