// JPEG: the store in APP11 segments (C2PA 2.2 §A.3.1, ISO/IEC 19566-5 Annex
// D.2). Each segment is FF EB | Lp | "JP" | En | Z (sequence, from 1) | data;
// continuation segments repeat the store's first 8 bytes (LBox+TBox) before
// their part. They go after the last APP0, or after SOI.
#include <algorithm>

#include "c2pa/bytes_internal.h"
#include "c2pa/container_internal.h"

namespace vt::c2pa::internal {
namespace {

constexpr size_t kMaxLp = 65535;
constexpr size_t kSegHeader = 2 + 8;                // Lp + CI/En/Z (after the marker)
constexpr size_t kFirstData = kMaxLp - kSegHeader;  // store bytes in the first segment
constexpr size_t kMoreData = kFirstData - 8;        // in continuation segments
constexpr uint16_t kBoxInstance = 0x0211;

struct Segment {
  uint8_t marker;
  uint64_t offset;  // of the FF byte
  uint64_t length;  // whole segment, marker included
};

bool Standalone(uint8_t m) { return m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7); }

// The marker segments before SOS (entropy-coded data is not walked).
StatusOr<std::vector<Segment>> Segments(std::istream& in) {
  VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
  VT_ASSIGN_OR_RETURN(std::string soi, ReadAt(in, 0, 2));
  if (soi != "\xFF\xD8") return InvalidArgumentError("JPEG: missing SOI");
  std::vector<Segment> out;
  for (uint64_t pos = 2; pos + 2 <= size;) {
    VT_ASSIGN_OR_RETURN(std::string m, ReadAt(in, pos, 2));
    if (static_cast<uint8_t>(m[0]) != 0xFF) return InvalidArgumentError("JPEG: bad marker");
    uint8_t marker = static_cast<uint8_t>(m[1]);
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (Standalone(marker)) {
      pos += 2;
      continue;
    }
    if (marker == 0xD9) break;  // EOI
    VT_ASSIGN_OR_RETURN(std::string lp, ReadAt(in, pos + 2, 2));
    uint64_t len = ReadU16(lp, 0);
    if (len < 2 || pos + 2 + len > size) return InvalidArgumentError("JPEG: bad segment length");
    out.push_back(Segment{marker, pos, 2 + len});
    if (marker == 0xDA) return out;  // SOS: image data follows
    pos += 2 + len;
    if (out.size() > 100000) return InvalidArgumentError("JPEG: too many segments");
  }
  return InvalidArgumentError("JPEG: no SOS segment");
}

// The APP11 JUMBF payload (after Lp) if `s` is a C2PA segment.
StatusOr<std::string> App11Payload(std::istream& in, const Segment& s) {
  if (s.marker != 0xEB || s.length < 4 + 8) return std::string();
  VT_ASSIGN_OR_RETURN(std::string p, ReadAt(in, s.offset + 4, s.length - 4));
  if (p.substr(0, 2) != "JP") return std::string();
  return p;
}

class Jpeg : public Format {
 public:
  Status Scan(std::istream& in) override {
    VT_ASSIGN_OR_RETURN(std::vector<Segment> segs, Segments(in));
    insert_at_ = 2;
    for (const auto& s : segs) {
      if (s.marker == 0xE0) insert_at_ = s.offset + s.length;
      VT_ASSIGN_OR_RETURN(std::string p, App11Payload(in, s));
      if (p.size() >= 16 && p.substr(12, 4) == "jumb") {
        return FailedPreconditionError("JPEG already holds a JUMBF (C2PA) segment");
      }
    }
    return StreamSize(in).status();
  }

  uint64_t WrappedSize(uint64_t n) const override {
    uint64_t segments = 1 + (n > kFirstData ? (n - kFirstData + kMoreData - 1) / kMoreData : 0);
    return n + segments * (2 + kSegHeader) + (segments - 1) * 8;
  }

  Status Emit(std::istream& in, std::string_view store, Sink& out) const override {
    VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
    VT_RETURN_IF_ERROR(CopyRange(in, 0, insert_at_, out));
    out.BeginManifest();
    uint32_t z = 1;
    for (size_t pos = 0; pos < store.size() || z == 1; ++z) {
      size_t n = std::min(store.size() - pos, z == 1 ? kFirstData : kMoreData);
      std::string seg("\xFF\xEB", 2);
      AppendU16(&seg, static_cast<uint16_t>(kSegHeader + n + (z == 1 ? 0 : 8)));
      seg += "JP";
      AppendU16(&seg, kBoxInstance);
      AppendU32(&seg, z);
      if (z != 1) seg.append(store.substr(0, 8));
      seg.append(store.substr(pos, n));
      VT_RETURN_IF_ERROR(out.Write(seg));
      pos += n;
    }
    out.EndManifest();
    return CopyRange(in, insert_at_, size, out);
  }

  StatusOr<std::string> Extract(std::istream& in) const override {
    VT_ASSIGN_OR_RETURN(std::vector<Segment> segs, Segments(in));
    std::string store;
    std::string en;
    for (const auto& s : segs) {
      VT_ASSIGN_OR_RETURN(std::string p, App11Payload(in, s));
      if (p.size() < 8) continue;
      uint32_t z = ReadU32(p, 4);
      if (z == 1 && p.size() >= 16 && p.substr(12, 4) == "jumb" && en.empty()) {
        en = p.substr(2, 2);
        store = p.substr(8);
      } else if (!en.empty() && p.substr(2, 2) == en && z > 1 && p.size() >= 16) {
        store += p.substr(16);  // skip the repeated LBox+TBox
      }
    }
    if (store.empty()) return NotFoundError("JPEG has no C2PA manifest store");
    return store;
  }

 private:
  uint64_t insert_at_ = 2;
};

}  // namespace

std::unique_ptr<Format> MakeJpeg() { return std::make_unique<Jpeg>(); }

}  // namespace vt::c2pa::internal
