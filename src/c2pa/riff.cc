// WAV (RIFF/WAVE): the store in a "C2PA" sub-chunk appended to the RIFF form
// (C2PA 2.2 §A.3.4); the RIFF size field is updated, and the data hash covers
// the written file except the C2PA chunk's header and data.
#include "c2pa/bytes_internal.h"
#include "c2pa/container_internal.h"

namespace vt::c2pa::internal {
namespace {

constexpr std::string_view kChunkId = "C2PA";

struct Chunk {
  std::string id;
  uint64_t offset;  // of the id
  uint64_t length;  // data length (without the pad byte)
};

StatusOr<std::vector<Chunk>> Chunks(std::istream& in, uint64_t* riff_end) {
  VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
  VT_ASSIGN_OR_RETURN(std::string h, ReadAt(in, 0, 12));
  if (h.substr(0, 4) != "RIFF" || h.substr(8, 4) != "WAVE") {
    return InvalidArgumentError("WAV: not a RIFF/WAVE file");
  }
  uint64_t end = 8 + static_cast<uint64_t>(ReadLe32(h, 4));
  if (end > size || end < 12) return InvalidArgumentError("WAV: RIFF size past the end");
  std::vector<Chunk> out;
  for (uint64_t pos = 12; pos < end;) {
    if (end - pos < 8) return InvalidArgumentError("WAV: truncated chunk header");
    VT_ASSIGN_OR_RETURN(std::string c, ReadAt(in, pos, 8));
    uint64_t len = ReadLe32(c, 4);
    if (len > end - pos - 8) return InvalidArgumentError("WAV: chunk runs past the end");
    out.push_back(Chunk{c.substr(0, 4), pos, len});
    pos += 8 + len + (len & 1);
    if (out.size() > 1000000) return InvalidArgumentError("WAV: too many chunks");
  }
  *riff_end = end;
  return out;
}

class Wav : public Format {
 public:
  Status Scan(std::istream& in) override {
    VT_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, Chunks(in, &riff_end_));
    for (const auto& c : chunks) {
      if (c.id == kChunkId) return FailedPreconditionError("WAV already holds a C2PA chunk");
    }
    return OkStatus();
  }

  uint64_t WrappedSize(uint64_t n) const override { return 8 + n + (n & 1); }

  Status Emit(std::istream& in, std::string_view store, Sink& out) const override {
    VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
    uint64_t riff_size = riff_end_ - 8 + WrappedSize(store.size());
    if (riff_size > UINT32_MAX) return InvalidArgumentError("WAV: over 4 GiB with the manifest");
    std::string header("RIFF");
    AppendLe32(&header, static_cast<uint32_t>(riff_size));
    VT_RETURN_IF_ERROR(out.Write(header));
    VT_RETURN_IF_ERROR(CopyRange(in, 8, riff_end_, out));
    std::string chunk(kChunkId);
    AppendLe32(&chunk, static_cast<uint32_t>(store.size()));
    chunk.append(store);
    out.BeginManifest();
    VT_RETURN_IF_ERROR(out.Write(chunk));
    // The exclusion is the chunk header and data; an odd size's pad byte stays
    // hashed, which is where c2pa-rs expects the manifest to end.
    out.EndManifest();
    if (store.size() & 1) VT_RETURN_IF_ERROR(out.Write(std::string(1, '\0')));
    return CopyRange(in, riff_end_, size, out);  // bytes after the RIFF form, if any
  }

  StatusOr<std::string> Extract(std::istream& in) const override {
    uint64_t end = 0;
    VT_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, Chunks(in, &end));
    for (const auto& c : chunks) {
      if (c.id == kChunkId) return ReadAt(in, c.offset + 8, c.length);
    }
    return NotFoundError("WAV has no C2PA chunk");
  }

 private:
  uint64_t riff_end_ = 0;
};

}  // namespace

std::unique_ptr<Format> MakeWav() { return std::make_unique<Wav>(); }

}  // namespace vt::c2pa::internal
