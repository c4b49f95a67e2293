#include "tlog/proof.h"

#include <string>

namespace vt::tlog {
namespace {

std::string Str(int64_t v) { return std::to_string(v); }

// Shifts fn and sn right until fn's lowest bit is set or fn reaches 0
// (RFC 9162 §2.1.3.2 step 5.2 / §2.1.4.2 step 8.2).
void StripZeros(uint64_t* fn, uint64_t* sn) {
  while ((*fn & 1) == 0 && *fn != 0) {
    *fn >>= 1;
    *sn >>= 1;
  }
}

}  // namespace

StatusOr<Hash> RootFromInclusionProof(int64_t index, int64_t size, const Hash& leaf_hash,
                                      std::span<const Hash> proof) {
  if (index < 0 || size < 0 || index >= size) {
    return InvalidArgumentError("inclusion proof: index " + Str(index) +
                                " is not below tree size " + Str(size));
  }
  uint64_t fn = static_cast<uint64_t>(index);
  uint64_t sn = static_cast<uint64_t>(size - 1);
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return InvalidArgumentError("inclusion proof: too long (" + Str(proof.size()) +
                                  " hashes) for index " + Str(index) + " in size " + Str(size));
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      StripZeros(&fn, &sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return InvalidArgumentError("inclusion proof: too short (" + Str(proof.size()) +
                                " hashes) for index " + Str(index) + " in size " + Str(size));
  }
  return r;
}

Status VerifyInclusion(int64_t index, int64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  VT_ASSIGN_OR_RETURN(Hash computed, RootFromInclusionProof(index, size, leaf_hash, proof));
  if (computed != root) {
    return InvalidArgumentError("inclusion proof: computed root " + HashToBase64(computed) +
                                " does not match expected root " + HashToBase64(root));
  }
  return OkStatus();
}

Status VerifyConsistency(int64_t old_size, int64_t new_size, std::span<const Hash> proof,
                         const Hash& old_root, const Hash& new_root) {
  if (old_size < 0 || old_size > new_size) {
    return InvalidArgumentError("consistency proof: old size " + Str(old_size) +
                                " is not in [0, new size " + Str(new_size) + "]");
  }
  if (old_size == new_size) {
    if (!proof.empty())
      return InvalidArgumentError("consistency proof: must be empty for equal sizes");
    if (old_root != new_root) {
      return InvalidArgumentError("consistency proof: different roots for the same size " +
                                  Str(old_size));
    }
    return OkStatus();
  }
  if (old_size == 0) {
    if (!proof.empty()) return InvalidArgumentError("consistency proof: must be empty from size 0");
    return OkStatus();
  }
  if (proof.empty()) return InvalidArgumentError("consistency proof: empty");
  // RFC 9162 §2.1.4.2 step 2: if old_size is a power of two, prepend old_root.
  std::span<const Hash> rest = proof;
  Hash first = proof[0];
  const uint64_t m = static_cast<uint64_t>(old_size);
  if ((m & (m - 1)) == 0) {
    first = old_root;
  } else {
    rest = proof.subspan(1);
  }
  uint64_t fn = m - 1;
  uint64_t sn = static_cast<uint64_t>(new_size - 1);
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = first, sr = first;
  for (const Hash& c : rest) {
    if (sn == 0) return InvalidArgumentError("consistency proof: too long");
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      StripZeros(&fn, &sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return InvalidArgumentError("consistency proof: too short");
  if (fr != old_root) {
    return InvalidArgumentError("consistency proof: computed old root " + HashToBase64(fr) +
                                " does not match " + HashToBase64(old_root));
  }
  if (sr != new_root) {
    return InvalidArgumentError("consistency proof: computed new root " + HashToBase64(sr) +
                                " does not match " + HashToBase64(new_root));
  }
  return OkStatus();
}

}  // namespace vt::tlog
