// Chunked stream helpers and sinks for the container formats.
#include <algorithm>

#include "c2pa/container_internal.h"

namespace vt::c2pa::internal {

Status StreamSink::Write(std::string_view bytes) {
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out_) return InternalError("writing the signed asset failed");
  return OkStatus();
}

Status DataHashSink::Write(std::string_view bytes) {
  if (!inside_) hasher_.Update(bytes);
  offset_ += bytes.size();
  return OkStatus();
}

void DataHashSink::BeginManifest() {
  inside_ = true;
  exclusion_.start = offset_;
}

void DataHashSink::EndManifest() {
  inside_ = false;
  exclusion_.length = offset_ - exclusion_.start;
}

Status BmffHashSink::Write(std::string_view bytes) {
  if (hashed_) hasher_.Update(bytes);
  offset_ += bytes.size();
  return OkStatus();
}

void BmffHashSink::TopLevelBox(bool hashed) {
  hashed_ = hashed;
  if (!hashed) return;
  std::string be;
  for (int i = 7; i >= 0; --i) be.push_back(static_cast<char>((offset_ >> (8 * i)) & 0xFF));
  hasher_.Update(be);
}

StatusOr<uint64_t> StreamSize(std::istream& in) {
  in.clear();
  in.seekg(0, std::ios::end);
  auto end = in.tellg();
  if (!in || end < 0) return InvalidArgumentError("asset stream is not seekable");
  return static_cast<uint64_t>(end);
}

StatusOr<std::string> ReadAt(std::istream& in, uint64_t offset, size_t n) {
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  std::string out(n, '\0');
  in.read(out.data(), static_cast<std::streamsize>(n));
  if (!in || static_cast<size_t>(in.gcount()) != n) {
    return InvalidArgumentError("truncated asset: " + std::to_string(n) + " bytes at offset " +
                                std::to_string(offset));
  }
  return out;
}

Status CopyRange(std::istream& in, uint64_t from, uint64_t to, Sink& sink) {
  std::string buf;
  for (uint64_t pos = from; pos < to;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, to - pos));
    VT_ASSIGN_OR_RETURN(buf, ReadAt(in, pos, n));
    VT_RETURN_IF_ERROR(sink.Write(buf));
    pos += n;
  }
  return OkStatus();
}

StatusOr<std::string> HashWithExclusions(std::istream& in, std::vector<Exclusion> exclusions) {
  VT_ASSIGN_OR_RETURN(uint64_t size, StreamSize(in));
  std::sort(exclusions.begin(), exclusions.end(),
            [](const Exclusion& a, const Exclusion& b) { return a.start < b.start; });
  crypto::Hasher h(crypto::HashAlg::kSha256);
  struct HashOnly : Sink {
    crypto::Hasher* h;
    Status Write(std::string_view b) override {
      h->Update(b);
      return OkStatus();
    }
  } sink;
  sink.h = &h;
  uint64_t pos = 0;
  for (const auto& e : exclusions) {
    if (e.start < pos || e.start > size || e.length > size - e.start) {
      return InvalidArgumentError("exclusion out of range or overlapping");
    }
    VT_RETURN_IF_ERROR(CopyRange(in, pos, e.start, sink));
    pos = e.start + e.length;
  }
  VT_RETURN_IF_ERROR(CopyRange(in, pos, size, sink));
  return h.Final();
}

std::unique_ptr<Format> MakeFormat(Container kind) {
  switch (kind) {
    case Container::kJpeg:
      return MakeJpeg();
    case Container::kPng:
      return MakePng();
    case Container::kWav:
      return MakeWav();
    case Container::kMp4:
      return MakeMp4();
    case Container::kSidecar:
      return nullptr;
  }
  return nullptr;
}

}  // namespace vt::c2pa::internal
