// MP4 / ISO BMFF (C2PA 2.2 §A.5): the store in a `uuid` box (extended type
// D8FEC3D6-1B0E-483C-9297-5828877EC481, FullBox v0, purpose "manifest\0", u64
// merkle offset 0) right after `ftyp`; chunk offsets (stco/co64) in `moov`
// move by the inserted size. Hard binding: c2pa.hash.bmff.v3.
#include "c2pa/bmff_internal.h"
#include "c2pa/bytes_internal.h"
#include "c2pa/container_internal.h"

namespace vt::c2pa::internal {
namespace {

constexpr uint64_t kMaxMoov = 64 << 20;  // moov is read into memory

class Mp4 : public Format {
 public:
  Status Scan(std::istream& in) override {
    VT_ASSIGN_OR_RETURN(boxes_, TopLevelBoxes(in));
    if (boxes_.empty() || boxes_[0].type != "ftyp") {
      return InvalidArgumentError("MP4: ftyp is not the first box");
    }
    for (const auto& b : boxes_) {
      if (b.c2pa) return FailedPreconditionError("MP4 already holds a C2PA uuid box");
      if (b.type == "moof" || b.type == "meta") {
        return UnimplementedError("MP4: fragmented files and top-level meta are not supported");
      }
      if (b.type == "moov" && b.size > kMaxMoov) return ResourceExhaustedError("MP4: moov too big");
    }
    return OkStatus();
  }

  uint64_t WrappedSize(uint64_t n) const override { return UuidBoxHeader(n).size() + n; }

  Status Emit(std::istream& in, std::string_view store, Sink& out) const override {
    uint64_t delta = WrappedSize(store.size());
    out.TopLevelBox(false);  // ftyp
    VT_RETURN_IF_ERROR(CopyRange(in, 0, boxes_[0].size, out));
    out.TopLevelBox(false);
    out.BeginManifest();
    VT_RETURN_IF_ERROR(out.Write(UuidBoxHeader(store.size())));
    VT_RETURN_IF_ERROR(out.Write(store));
    out.EndManifest();
    for (size_t i = 1; i < boxes_.size(); ++i) {
      const TopBox& b = boxes_[i];
      out.TopLevelBox(!DefaultExcluded(b));
      if (b.type != "moov") {
        VT_RETURN_IF_ERROR(CopyRange(in, b.offset, b.offset + b.size, out));
        continue;
      }
      VT_ASSIGN_OR_RETURN(std::string moov, ReadAt(in, b.offset, b.size));
      VT_RETURN_IF_ERROR(ShiftChunkOffsets(&moov, delta));
      VT_RETURN_IF_ERROR(out.Write(moov));
    }
    return OkStatus();
  }

  StatusOr<std::string> Extract(std::istream& in) const override {
    VT_ASSIGN_OR_RETURN(std::vector<TopBox> boxes, TopLevelBoxes(in));
    for (const auto& b : boxes) {
      if (!b.c2pa) continue;
      // header | uuid(16) | version+flags(4) | "manifest\0" | u64 offset | store
      uint64_t skip = b.header + 16 + 4 + 9 + 8;
      if (b.size < skip) return InvalidArgumentError("MP4: C2PA uuid box too short");
      VT_ASSIGN_OR_RETURN(std::string purpose, ReadAt(in, b.offset + b.header + 20, 9));
      if (purpose != std::string_view("manifest\0", 9)) continue;
      return ReadAt(in, b.offset + skip, b.size - skip);
    }
    return NotFoundError("MP4 has no C2PA uuid box");
  }

 private:
  std::vector<TopBox> boxes_;
};

}  // namespace

std::string UuidBoxHeader(uint64_t store_size) {
  std::string h;
  AppendU32(&h, static_cast<uint32_t>(8 + 16 + 4 + 9 + 8 + store_size));
  h += "uuid";
  h.append(kC2paUuid);
  AppendU32(&h, 0);  // version 0, flags 0
  h.append("manifest\0", 9);
  AppendU64(&h, 0);  // no merkle box
  return h;
}

bool DefaultExcluded(const TopBox& b) {
  return b.c2pa || b.type == "ftyp" || b.type == "free" || b.type == "skip" || b.type == "mfra";
}

StatusOr<std::vector<TopBox>> TopLevelBoxes(std::istream& in) {
  VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
  std::vector<TopBox> out;
  for (uint64_t pos = 0; pos < size;) {
    if (size - pos < 8) return InvalidArgumentError("MP4: truncated box header");
    VT_ASSIGN_OR_RETURN(std::string h, ReadAt(in, pos, 8));
    TopBox b{h.substr(4), pos, ReadU32(h, 0), 8, false};
    if (b.size == 1) {
      if (size - pos < 16) return InvalidArgumentError("MP4: truncated largesize");
      VT_ASSIGN_OR_RETURN(std::string l, ReadAt(in, pos + 8, 8));
      b.size = ReadU64(l, 0);
      b.header = 16;
    } else if (b.size == 0) {
      b.size = size - pos;
    }
    if (b.size < b.header || b.size > size - pos) {
      return InvalidArgumentError("MP4: box size out of range at " + std::to_string(pos));
    }
    if (b.type == "uuid" && b.size >= b.header + 16) {
      VT_ASSIGN_OR_RETURN(std::string u, ReadAt(in, pos + b.header, 16));
      b.c2pa = u == kC2paUuid;
    }
    out.push_back(b);
    pos += b.size;
    if (out.size() > 100000) return InvalidArgumentError("MP4: too many boxes");
  }
  return out;
}

StatusOr<std::string> BmffHash(std::istream& in) {
  VT_ASSIGN_OR_RETURN(std::vector<TopBox> boxes, TopLevelBoxes(in));
  BmffHashSink sink;
  for (const auto& b : boxes) {
    sink.TopLevelBox(!DefaultExcluded(b));
    VT_RETURN_IF_ERROR(CopyRange(in, b.offset, b.offset + b.size, sink));
  }
  return sink.Final();
}

std::unique_ptr<Format> MakeMp4() { return std::make_unique<Mp4>(); }

}  // namespace vt::c2pa::internal
