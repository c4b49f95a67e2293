#include "cli/log_source.h"

#include <utility>

#include "app/access/service.h"
#include "app/core/config.h"
#include "net/http_client.h"
#include "server/root.h"
#include "tlog/tile_path.h"

namespace vt::cli {
namespace {

class HttpFetcher final : public LogFetcher {
 public:
  // `http` is a client for `host` (no prefix).
  HttpFetcher(std::unique_ptr<net::HttpClient> http, const std::string& host, std::string prefix)
      : http_(std::move(http)), host_(host), prefix_(std::move(prefix)) {}

  StatusOr<std::string> Get(const std::string& rel) override {
    VT_ASSIGN_OR_RETURN(net::HttpResponse res, http_->Get(prefix_ + "/" + rel));
    if (res.status == 404) return NotFoundError("HTTP 404 for " + Where(rel));
    if (res.status != 200) {
      return DataLossError("HTTP " + std::to_string(res.status) + " for " + Where(rel));
    }
    return std::move(res.body);
  }

  std::string Where(const std::string& rel) const override { return host_ + prefix_ + "/" + rel; }

 private:
  std::unique_ptr<net::HttpClient> http_;
  std::string host_, prefix_;
};

class DirFetcher final : public LogFetcher {
 public:
  explicit DirFetcher(std::string dir) : dir_(std::move(dir)) {}
  StatusOr<std::string> Get(const std::string& rel) override {
    StatusOr<std::string> data = app::ReadFile(Where(rel));
    if (!data.ok() && data.status().code() == StatusCode::kNotFound)
      return NotFoundError(Where(rel) + " does not exist");
    return data;
  }
  std::string Where(const std::string& rel) const override { return dir_ + "/" + rel; }

 private:
  std::string dir_;
};

class DataDirFetcher final : public LogFetcher {
 public:
  DataDirFetcher(std::unique_ptr<server::Components> components, std::string dir)
      : components_(std::move(components)), dir_(std::move(dir)) {}

  StatusOr<std::string> Get(const std::string& rel) override {
    app::LogReads& log = components_->log();
    if (rel == "vkey") return log.VerifierKey() + "\n";
    if (rel == "checkpoint" || size_ < 0) {
      VT_ASSIGN_OR_RETURN(app::LogCheckpoint cp, log.SignedCheckpoint());
      size_ = cp.size;
      if (rel == "checkpoint") return cp.note;
    }
    StatusOr<tlog::TileCoord> coord = tlog::ParseTilePath(rel);
    if (!coord.ok()) return NotFoundError(Where(rel) + " is not a log resource");
    return log.Resource(*coord, size_);
  }
  std::string Where(const std::string& rel) const override { return dir_ + ":" + rel; }

 private:
  std::unique_ptr<server::Components> components_;
  std::string dir_;
  int64_t size_ = -1;
};

std::string TrimSlashes(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

StatusOr<std::pair<std::string, std::string>> SplitHttpUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return InvalidArgumentError("not a URL: " + url);
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    return InvalidArgumentError("unsupported URL scheme '" + scheme + "' in " + url);
  const size_t slash = url.find('/', scheme_end + 3);
  std::string host = url.substr(0, slash);
  if (host.size() == scheme_end + 3) return InvalidArgumentError("no host in " + url);
  if (url.find_first_of("?#") != std::string::npos)
    return InvalidArgumentError("a log prefix URL has no query or fragment: " + url);
  std::string path = slash == std::string::npos ? "" : url.substr(slash);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return std::make_pair(std::move(host), std::move(path));
}

StatusOr<std::unique_ptr<LogFetcher>> OpenLogFetcher(const std::string& source) {
  if (source.empty()) return InvalidArgumentError("empty log URL");
  if (source.rfind("file://", 0) == 0)
    return std::unique_ptr<LogFetcher>(new DirFetcher(TrimSlashes(source.substr(7))));
  if (source.find("://") == std::string::npos)
    return std::unique_ptr<LogFetcher>(new DirFetcher(TrimSlashes(source)));
  VT_ASSIGN_OR_RETURN(auto parts, SplitHttpUrl(source));
  net::HttpClientOptions options;  // 10 s connect, 60 s read
  options.keep_alive = true;
  options.tcp_nodelay = true;
  options.follow_redirects = true;
  VT_ASSIGN_OR_RETURN(auto http, net::NewHttpClient(parts.first, options));
  return std::unique_ptr<LogFetcher>(new HttpFetcher(std::move(http), parts.first, parts.second));
}

StatusOr<std::unique_ptr<LogFetcher>> OpenDataDirFetcher(const std::string& data_dir,
                                                         const Clock& clock, Rng& rng) {
  VT_ASSIGN_OR_RETURN(auto components, server::OpenComponents(data_dir, clock, rng));
  return std::unique_ptr<LogFetcher>(new DataDirFetcher(std::move(components), data_dir));
}

StatusOr<std::string> FetchedLog::ReadTile(int level, int64_t index, int width) {
  VT_ASSIGN_OR_RETURN(std::string data, fetcher_.Get(tlog::TilePath(level, index, width)));
  bytes_ += static_cast<int64_t>(data.size());
  // A tile of the wrong length is reported by the caller; only keep good ones.
  if (data.size() == static_cast<size_t>(width) * tlog::kHashSize)
    cache_.Put(tlog::Tile{level, index, width, data});
  return data;
}

StatusOr<std::string> FetchedLog::ReadEntryBundle(int64_t index, int width) {
  VT_ASSIGN_OR_RETURN(std::string data, fetcher_.Get(tlog::EntriesPath(index, width)));
  bytes_ += static_cast<int64_t>(data.size());
  return data;
}

}  // namespace vt::cli
