// Internal to the c2pa module: the container formats behind one interface.
// A Format scans an asset, then writes it with a manifest store embedded into
// a Sink; the hashing pass and the writing pass run the same Emit code, so the
// hard binding always describes exactly the bytes that are written.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "base/status.h"
#include "c2pa/c2pa.h"
#include "c2pa/manifest_internal.h"
#include "crypto/digest.h"

namespace vt::c2pa::internal {

inline constexpr size_t kChunk = 64 * 1024;

// Where Emit writes. Begin/EndManifest bracket the inserted C2PA bytes.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Write(std::string_view bytes) = 0;
  virtual void BeginManifest() {}
  virtual void EndManifest() {}
  // ISO BMFF only: a top-level box starts; `hashed` false for boxes the
  // default c2pa.hash.bmff exclusions remove (C2PA 2.2 §18.6.2).
  virtual void TopLevelBox(bool hashed) {}
};

// Writes to an ostream; Internal if the stream fails.
class StreamSink : public Sink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  Status Write(std::string_view bytes) override;

 private:
  std::ostream& out_;
};

// SHA-256 of everything outside the manifest bracket, and the bracket as a
// c2pa.hash.data exclusion (C2PA 2.2 §18.5).
class DataHashSink : public Sink {
 public:
  Status Write(std::string_view bytes) override;
  void BeginManifest() override;
  void EndManifest() override;
  std::string Final() { return hasher_.Final(); }
  const Exclusion& exclusion() const { return exclusion_; }

 private:
  crypto::Hasher hasher_{crypto::HashAlg::kSha256};
  uint64_t offset_ = 0;
  bool inside_ = false;
  Exclusion exclusion_;
};

// c2pa.hash.bmff v2/v3 (C2PA 2.2 §18.6.3): for each top-level box that is not
// excluded, SHA-256 over its offset (u64 BE) and then its bytes.
class BmffHashSink : public Sink {
 public:
  Status Write(std::string_view bytes) override;
  void TopLevelBox(bool hashed) override;
  std::string Final() { return hasher_.Final(); }

 private:
  crypto::Hasher hasher_{crypto::HashAlg::kSha256};
  uint64_t offset_ = 0;
  bool hashed_ = false;
};

// Recomputes the BMFF hash of a signed file, excluding ftyp, free, skip, mfra
// and the C2PA uuid box. InvalidArgument if the box structure is malformed.
StatusOr<std::string> BmffHash(std::istream& in);

// Stream helpers. All fail with InvalidArgument "truncated ..." on short reads.
StatusOr<uint64_t> StreamSize(std::istream& in);
StatusOr<std::string> ReadAt(std::istream& in, uint64_t offset, size_t n);
// Copies [from, to) of `in` to `sink` in kChunk pieces.
Status CopyRange(std::istream& in, uint64_t from, uint64_t to, Sink& sink);
// SHA-256 of `in` skipping `exclusions` (sorted, non-overlapping, in range).
StatusOr<std::string> HashWithExclusions(std::istream& in, std::vector<Exclusion> exclusions);

class Format {
 public:
  virtual ~Format() = default;
  // Checks the asset's structure and finds where the store goes.
  // FailedPrecondition if it already holds a C2PA manifest.
  virtual Status Scan(std::istream& in) = 0;
  // The number of bytes a store of `store_size` bytes takes once embedded.
  virtual uint64_t WrappedSize(uint64_t store_size) const = 0;
  // Writes the asset with `store` embedded. Precondition: Scan succeeded.
  virtual Status Emit(std::istream& in, std::string_view store, Sink& out) const = 0;
  // The embedded store; NotFound if there is none.
  virtual StatusOr<std::string> Extract(std::istream& in) const = 0;
};

// nullptr for kSidecar.
std::unique_ptr<Format> MakeJpeg();
std::unique_ptr<Format> MakePng();
std::unique_ptr<Format> MakeWav();
std::unique_ptr<Format> MakeMp4();
std::unique_ptr<Format> MakeFormat(Container kind);

}  // namespace vt::c2pa::internal
