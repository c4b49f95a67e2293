// Signing entry points: two-pass embedding with a reserved, padded store
// (C2PA 2.2 §10.4 "multiple step processing").
#include "c2pa/c2pa.h"
#include "c2pa/container_internal.h"
#include "c2pa/manifest_internal.h"

namespace vt::c2pa {

using internal::HardBinding;

namespace {

// Runs Emit into a hashing sink with a zero store of the final size.
Status HashOutput(const internal::Format& fmt, std::istream& in, size_t store_size,
                  HardBinding* binding) {
  std::string zeros(store_size, '\0');
  if (binding->bmff) {
    internal::BmffHashSink hashing;
    VT_RETURN_IF_ERROR(fmt.Emit(in, zeros, hashing));
    binding->hash = hashing.Final();
    return OkStatus();
  }
  internal::DataHashSink hashing;
  VT_RETURN_IF_ERROR(fmt.Emit(in, zeros, hashing));
  binding->exclusions[0] = hashing.exclusion();
  binding->hash = hashing.Final();
  uint64_t excluded = binding->exclusions[0].length;
  if (excluded < store_size || excluded > fmt.WrappedSize(store_size)) {
    return InternalError("c2pa: embedded size differs from the planned size");
  }
  return OkStatus();
}

}  // namespace

std::string_view ContainerName(Container c) {
  switch (c) {
    case Container::kJpeg:
      return "jpeg";
    case Container::kPng:
      return "png";
    case Container::kWav:
      return "wav";
    case Container::kMp4:
      return "mp4";
    case Container::kSidecar:
      return "sidecar";
  }
  return "unknown";
}

StatusOr<Container> DetectContainer(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return Container::kJpeg;
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8)) {
    return Container::kPng;
  }
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WAVE")
    return Container::kWav;
  if (b.size() >= 8 && b.substr(4, 4) == "ftyp") return Container::kMp4;
  if (b.size() >= 8 && b.substr(4, 4) == "jumb") return Container::kSidecar;
  return InvalidArgumentError("unrecognized asset format");
}

Status SignStream(Container kind, std::istream& in, std::ostream& out, const SignOptions& o) {
  std::unique_ptr<internal::Format> fmt = internal::MakeFormat(kind);
  if (fmt == nullptr) {
    return kind == Container::kSidecar
               ? InvalidArgumentError("use SignSidecar for sidecar manifests")
               : UnimplementedError(std::string(ContainerName(kind)) + " embedding");
  }
  VT_RETURN_IF_ERROR(fmt->Scan(in));
  // Pass 1: the store's final size, with zero placeholders for the signatures.
  HardBinding binding;
  binding.bmff = kind == Container::kMp4;
  if (!binding.bmff) binding.exclusions.push_back({});
  VT_ASSIGN_OR_RETURN(std::string placeholder, internal::BuildStore(o, binding, true));
  // Pass 2: hash what will be written, minus the embedded store (§18.5, §18.6).
  VT_RETURN_IF_ERROR(HashOutput(*fmt, in, placeholder.size(), &binding));
  // Pass 3: sign and write.
  VT_ASSIGN_OR_RETURN(std::string store, internal::BuildStore(o, binding, false));
  if (store.size() != placeholder.size()) {
    return InternalError("c2pa: signed store size differs from its reservation");
  }
  internal::StreamSink sink(out);
  return fmt->Emit(in, store, sink);
}

StatusOr<std::string> SignSidecar(std::istream& asset, const SignOptions& o) {
  HardBinding binding;  // §11.4: the whole asset, no exclusions
  VT_ASSIGN_OR_RETURN(binding.hash, internal::HashWithExclusions(asset, {}));
  return internal::BuildStore(o, binding, false);
}

StatusOr<std::string> ExtractManifestStore(Container kind, std::istream& asset) {
  std::unique_ptr<internal::Format> fmt = internal::MakeFormat(kind);
  if (fmt == nullptr) return InvalidArgumentError("no embedded store for this container kind");
  return fmt->Extract(asset);
}

}  // namespace vt::c2pa
