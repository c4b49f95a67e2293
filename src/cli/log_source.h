// Reading a published transparency log the way any outside client does: the
// resources of c2sp.org/tlog-tiles ("checkpoint", "tile/<L>/<N>[.p/<W>]",
// "tile/entries/<N>[.p/<W>]") relative to a log prefix, over HTTP(S) or from a
// directory of static files (a `vtrust log export` output).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/rng.h"
#include "base/status.h"
#include "tlog/log_verify.h"
#include "tlog/memory_tile_store.h"
#include "tlog/tile.h"

namespace vt::cli {

// Fetches resources below one log prefix. Not thread-safe (one connection).
class LogFetcher {
 public:
  virtual ~LogFetcher() = default;
  // The bytes of resource `rel` (e.g. "checkpoint", "tile/0/001.p/17").
  // NotFound if the server answers 404 (or the file does not exist),
  // Unavailable on transport errors, DataLoss on any other HTTP status.
  virtual StatusOr<std::string> Get(const std::string& rel) = 0;
  // Where `rel` is fetched from (a URL or a file path), for messages.
  virtual std::string Where(const std::string& rel) const = 0;
};

// `source` is an http:// or https:// log prefix (e.g. "http://host:8080/log",
// a trailing slash is optional) or a directory path (also "file://DIR").
// InvalidArgument for other URL schemes or a malformed URL.
StatusOr<std::unique_ptr<LogFetcher>> OpenLogFetcher(const std::string& source);

// The log of a vtrust data directory read in-process (its store, like `vtrust
// serve` would serve it), plus "vkey". Tiles are bounded by the checkpoint
// returned by the latest Get("checkpoint") (by the stored one before that).
// `clock` and `rng` open the directory and must outlive the fetcher.
StatusOr<std::unique_ptr<LogFetcher>> OpenDataDirFetcher(const std::string& data_dir,
                                                         const Clock& clock, Rng& rng);

// Splits "http://host:port/path" into the scheme-host-port part and the path
// without a trailing slash ("" for the root). InvalidArgument if malformed.
StatusOr<std::pair<std::string, std::string>> SplitHttpUrl(const std::string& url);

// Hash tiles and entry bundles read through a fetcher, for tlog::AuditLog.
// Every hash tile of the expected length is also kept in memory (cache()), so
// that proofs can be computed afterwards without fetching again. Borrows the
// fetcher. Not thread-safe.
class FetchedLog final : public tlog::TileReader, public tlog::EntryBundleReader {
 public:
  explicit FetchedLog(LogFetcher& fetcher) : fetcher_(fetcher) {}
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override;
  StatusOr<std::string> ReadEntryBundle(int64_t index, int width) override;

  // The hash tiles fetched so far (widest version of each).
  tlog::MemoryTileStore& cache() { return cache_; }
  int64_t bytes_fetched() const { return bytes_; }

 private:
  LogFetcher& fetcher_;
  tlog::MemoryTileStore cache_;
  int64_t bytes_ = 0;
};

}  // namespace vt::cli
