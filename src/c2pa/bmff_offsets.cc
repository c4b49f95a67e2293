// Chunk offset fix-up after inserting bytes before mdat (ISO/IEC 14496-12
// §8.7.5 stco/co64).
#include "c2pa/bmff_internal.h"
#include "c2pa/bytes_internal.h"

namespace vt::c2pa::internal {
namespace {

bool IsContainer(std::string_view t) {
  return t == "moov" || t == "trak" || t == "mdia" || t == "minf" || t == "stbl";
}

void WriteBe(std::string* s, size_t pos, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i, v >>= 8) (*s)[pos + i] = static_cast<char>(v & 0xFF);
}

Status ShiftTable(std::string* s, size_t body, size_t end, bool wide, uint64_t delta) {
  if (end - body < 8) return InvalidArgumentError("MP4: truncated chunk offset box");
  uint64_t count = ReadU32(*s, body + 4);
  int width = wide ? 8 : 4;
  if (count > (end - body - 8) / width) return InvalidArgumentError("MP4: chunk offset count");
  for (uint64_t i = 0; i < count; ++i) {
    size_t at = body + 8 + i * width;
    uint64_t v = ReadBe(*s, at, width) + delta;
    if (!wide && v > UINT32_MAX) return InvalidArgumentError("MP4: stco offset overflow");
    WriteBe(s, at, v, width);
  }
  return OkStatus();
}

// Walks boxes in [begin, end) of `s`, descending into the containers above.
Status Walk(std::string* s, size_t begin, size_t end, uint64_t delta, int depth) {
  if (depth > 8) return InvalidArgumentError("MP4: boxes nested too deeply");
  for (size_t pos = begin; pos < end;) {
    if (end - pos < 8) return InvalidArgumentError("MP4: truncated box in moov");
    uint64_t size = ReadU32(*s, pos);
    size_t header = 8;
    if (size == 1) {
      if (end - pos < 16) return InvalidArgumentError("MP4: truncated largesize in moov");
      size = ReadU64(*s, pos + 8);
      header = 16;
    } else if (size == 0) {
      size = end - pos;
    }
    if (size < header || size > end - pos) return InvalidArgumentError("MP4: bad box in moov");
    std::string type = s->substr(pos + 4, 4);
    size_t body = pos + header, box_end = pos + size;
    if (IsContainer(type)) {
      VT_RETURN_IF_ERROR(Walk(s, body, box_end, delta, depth + 1));
    } else if (type == "stco" || type == "co64") {
      VT_RETURN_IF_ERROR(ShiftTable(s, body, box_end, type == "co64", delta));
    }
    pos = box_end;
  }
  return OkStatus();
}

}  // namespace

Status ShiftChunkOffsets(std::string* moov, uint64_t delta) {
  if (moov->size() < 8) return InvalidArgumentError("MP4: moov too short");
  return Walk(moov, 0, moov->size(), delta, 0);
}

}  // namespace vt::c2pa::internal
