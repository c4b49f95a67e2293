// Internal: strict reading of JSON objects with error messages that name the field
// path ("tiers[3].shares[1].weight"). Not part of the public API.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "base/jcs.h"
#include "base/status.h"

namespace vt::settlement::internal {

// InvalidArgument(message) with field `path`.
Status FieldError(std::string path, std::string message);

// "tiers" + 3 -> "tiers[3]"; "" + "currency" -> "currency"; "tiers[3]" + "kind" ->
// "tiers[3].kind".
std::string JoinPath(std::string_view parent, std::string_view key);
std::string IndexPath(std::string_view parent, size_t index);

// Reads members of one JSON object. Every getter marks its key as known; Finish()
// refuses members that no getter asked for. Holds a reference to the JSON value.
class ObjectReader {
 public:
  // Fails unless `json` is an object.
  static StatusOr<ObjectReader> Open(const Json& json, std::string path);

  const std::string& path() const { return path_; }
  std::string Path(std::string_view key) const { return JoinPath(path_, key); }
  bool Has(std::string_view key);

  // Required / optional members of a given type. Strings must be non-empty and at
  // most max_len bytes; integers must lie in [min, max] and be JSON integers.
  StatusOr<std::string> String(std::string_view key, size_t max_len = 256);
  StatusOr<std::optional<std::string>> OptString(std::string_view key, size_t max_len = 256);
  StatusOr<int64_t> Int(std::string_view key, int64_t min, int64_t max);
  StatusOr<std::optional<int64_t>> OptInt(std::string_view key, int64_t min, int64_t max);
  // Returns the member if it is an array (object), else fails; nullptr if optional
  // and absent.
  StatusOr<const Json*> Array(std::string_view key);
  StatusOr<const Json*> OptArray(std::string_view key);
  StatusOr<const Json*> Object(std::string_view key);
  StatusOr<const Json*> OptObject(std::string_view key);

  // Fails on the first member (in name order) that no getter asked for.
  Status Finish() const;

 private:
  ObjectReader(const Json* json, std::string path) : json_(json), path_(std::move(path)) {}
  const Json* Find(std::string_view key);

  const Json* json_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
};

// Reads a JSON integer in [min, max] at `path`.
StatusOr<int64_t> ReadInt(const Json& json, const std::string& path, int64_t min, int64_t max);
// Reads a non-empty JSON string of at most max_len bytes at `path`.
StatusOr<std::string> ReadString(const Json& json, const std::string& path, size_t max_len = 256);

}  // namespace vt::settlement::internal

namespace vt::settlement::internal {

// "YYYY-MM" with month 01..12.
bool IsMonth(std::string_view s);
// Two upper-case ASCII letters (ISO 3166-1 alpha-2 shape).
bool IsTerritory(std::string_view s);
// 1..32 of [a-z0-9_-].
bool IsChannel(std::string_view s);
// 1..max_len of [A-Za-z0-9._@:-].
bool IsIdentifier(std::string_view s, size_t max_len = 128);

}  // namespace vt::settlement::internal
