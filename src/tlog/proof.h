// Verification of Merkle inclusion and consistency proofs, RFC 9162 §2.1.3.2
// and §2.1.4.2 (the same proofs as RFC 6962 §2.1.1/§2.1.2).
//
// Every function is pure and thread-safe. Failures are InvalidArgument with a
// message naming the check that failed (malformed proof vs. root mismatch), so
// that a witness or CLI can report it verbatim.
#pragma once

#include <cstdint>
#include <span>

#include "base/status.h"
#include "tlog/hash.h"

namespace vt::tlog {

// Recomputes the root of a tree of `size` leaves from the leaf hash at `index`
// and its inclusion proof (leaf sibling first). Fails if index >= size, if the
// proof is too short or too long for (index, size).
StatusOr<Hash> RootFromInclusionProof(int64_t index, int64_t size, const Hash& leaf_hash,
                                      std::span<const Hash> proof);

// OK iff `proof` proves that `leaf_hash` is leaf `index` of the tree of `size`
// leaves whose root is `root`.
Status VerifyInclusion(int64_t index, int64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);

// OK iff `proof` proves that the tree of `old_size` leaves with root `old_root`
// is a prefix of the tree of `new_size` leaves with root `new_root`.
// old_size == new_size requires an empty proof and equal roots; old_size == 0
// requires an empty proof (every tree extends the empty tree). Fails if
// old_size > new_size or either is negative.
Status VerifyConsistency(int64_t old_size, int64_t new_size, std::span<const Hash> proof,
                         const Hash& old_root, const Hash& new_root);

}  // namespace vt::tlog
