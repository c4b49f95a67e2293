// PNG: the store in a private ancillary `caBX` chunk right after IHDR
// (C2PA 2.2 §A.3.2): len u32 BE | "caBX" | store | CRC-32 of type + data.
#include <zlib.h>

#include "c2pa/bytes_internal.h"
#include "c2pa/container_internal.h"

namespace vt::c2pa::internal {
namespace {

constexpr std::string_view kSignature("\x89PNG\r\n\x1A\n", 8);

struct Chunk {
  std::string type;
  uint64_t offset;  // of the length field
  uint64_t length;  // data length
};

StatusOr<std::vector<Chunk>> Chunks(std::istream& in) {
  VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
  VT_ASSIGN_OR_RETURN(std::string sig, ReadAt(in, 0, 8));
  if (sig != kSignature) return InvalidArgumentError("PNG: bad signature");
  std::vector<Chunk> out;
  for (uint64_t pos = 8; pos < size;) {
    VT_ASSIGN_OR_RETURN(std::string h, ReadAt(in, pos, 8));
    uint64_t len = ReadU32(h, 0);
    if (len > size - pos - 8 || size - pos - 8 - len < 4) {
      return InvalidArgumentError("PNG: chunk runs past the end");
    }
    out.push_back(Chunk{h.substr(4), pos, len});
    pos += 12 + len;
    if (out.back().type == "IEND") break;
    if (out.size() > 1000000) return InvalidArgumentError("PNG: too many chunks");
  }
  if (out.empty() || out[0].type != "IHDR") return InvalidArgumentError("PNG: IHDR not first");
  return out;
}

class Png : public Format {
 public:
  Status Scan(std::istream& in) override {
    VT_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, Chunks(in));
    for (const auto& c : chunks) {
      if (c.type == "caBX") return FailedPreconditionError("PNG already holds a caBX chunk");
    }
    insert_at_ = chunks[0].offset + 12 + chunks[0].length;
    return OkStatus();
  }

  uint64_t WrappedSize(uint64_t n) const override { return n + 12; }

  Status Emit(std::istream& in, std::string_view store, Sink& out) const override {
    VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
    VT_RETURN_IF_ERROR(CopyRange(in, 0, insert_at_, out));
    std::string chunk;
    AppendU32(&chunk, static_cast<uint32_t>(store.size()));
    chunk += "caBX";
    chunk.append(store);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(chunk.data() + 4),
                static_cast<uInt>(chunk.size() - 4));
    AppendU32(&chunk, static_cast<uint32_t>(crc));
    out.BeginManifest();
    VT_RETURN_IF_ERROR(out.Write(chunk));
    out.EndManifest();
    return CopyRange(in, insert_at_, size, out);
  }

  StatusOr<std::string> Extract(std::istream& in) const override {
    VT_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, Chunks(in));
    for (const auto& c : chunks) {
      if (c.type == "caBX") return ReadAt(in, c.offset + 8, c.length);
    }
    return NotFoundError("PNG has no caBX chunk");
  }

 private:
  uint64_t insert_at_ = 0;
};

}  // namespace

std::unique_ptr<Format> MakePng() { return std::make_unique<Png>(); }

}  // namespace vt::c2pa::internal
