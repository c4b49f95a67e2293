// Internal to the c2pa module: ISO BMFF box walking for MP4 embedding and the
// BMFF hard binding (ISO/IEC 14496-12 §4.2 box structure, C2PA 2.2 §A.5).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vt::c2pa::internal {

inline constexpr std::string_view kC2paUuid(
    "\xD8\xFE\xC3\xD6\x1B\x0E\x48\x3C\x92\x97\x58\x28\x87\x7E\xC4\x81", 16);

struct TopBox {
  std::string type;
  uint64_t offset = 0;
  uint64_t size = 0;    // whole box
  uint64_t header = 8;  // 8, or 16 with largesize
  bool c2pa = false;    // a uuid box with the C2PA extended type
};

// The top-level boxes of `in`; InvalidArgument if a size is out of range.
StatusOr<std::vector<TopBox>> TopLevelBoxes(std::istream& in);
// True for the boxes c2pa.hash.bmff's default exclusions remove.
bool DefaultExcluded(const TopBox& b);
// The C2PA uuid box up to (not including) the store bytes.
std::string UuidBoxHeader(uint64_t store_size);
// Adds `delta` to every stco/co64 entry under moov/trak/mdia/minf/stbl.
// InvalidArgument if the moov structure is malformed or a 32-bit offset
// would overflow.
Status ShiftChunkOffsets(std::string* moov, uint64_t delta);

}  // namespace vt::c2pa::internal
