#include "cli/log_export.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "app/core/config.h"
#include "tlog/checkpoint.h"
#include "tlog/note.h"
#include "tlog/tile_path.h"

namespace vt::cli {
namespace {

namespace fs = std::filesystem;

// Writes `data` to `path` through a temporary file and a rename (no fsync:
// ExportLog syncs the file system once before publishing the checkpoint).
Status WriteViaRename(const fs::path& path, const std::string& data) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return InternalError(path.parent_path().string() + ": " + ec.message());
  const fs::path tmp = path.string() + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out.flush()) return InternalError(tmp.string() + ": write failed");
  }
  fs::rename(tmp, path, ec);
  if (ec) return InternalError(path.string() + ": " + ec.message());
  return OkStatus();
}

Status SyncFileSystem(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return InternalError(dir + ": " + std::strerror(errno));
  int rc = syncfs(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return InternalError(dir + ": syncfs: " + std::strerror(err));
  return OkStatus();
}

// The size of the checkpoint text in a signed note (no signature check: the
// exporter only guards against moving an export backwards by mistake).
StatusOr<tlog::Checkpoint> CheckpointOf(const std::string& note, const std::string& what) {
  StatusOr<tlog::Note> n = tlog::ParseNote(note);
  if (!n.ok()) return DataLossError(what + ": " + n.status().message());
  StatusOr<tlog::Checkpoint> c = tlog::ParseCheckpoint(n->text);
  if (!c.ok()) return DataLossError(what + ": " + c.status().message());
  return c;
}

// Cheap structural check of a fetched resource before it is published.
Status CheckShape(const tlog::TileCoord& coord, const std::string& data) {
  const std::string path = tlog::PathOf(coord);
  if (coord.entries()) {
    StatusOr<std::vector<std::string>> e = tlog::DecodeEntryBundle(data, coord.width);
    if (!e.ok()) return DataLossError(path + ": " + e.status().message());
  } else if (data.size() != static_cast<size_t>(coord.width) * tlog::kHashSize) {
    return DataLossError(path + ": " + std::to_string(data.size()) + " bytes, want " +
                         std::to_string(coord.width * tlog::kHashSize));
  }
  return OkStatus();
}

Status GuardAgainstRollback(const fs::path& out, const tlog::Checkpoint& now, bool allow) {
  const fs::path existing = out / "checkpoint";
  if (allow || !fs::exists(existing)) return OkStatus();
  VT_ASSIGN_OR_RETURN(std::string note, app::ReadFile(existing.string()));
  VT_ASSIGN_OR_RETURN(tlog::Checkpoint old, CheckpointOf(note, existing.string()));
  if (old.size > now.size) {
    return FailedPreconditionError(existing.string() + " has size " + std::to_string(old.size) +
                                   ", newer than the source's " + std::to_string(now.size) +
                                   " (use --force to replace it)");
  }
  return OkStatus();
}

}  // namespace

StatusOr<Json> ExportLog(LogFetcher& source, const LogExportOptions& o) {
  const fs::path out(o.out_dir);
  StatusOr<std::string> note = source.Get("checkpoint");
  if (!note.ok()) return std::move(note).status().Annotate("checkpoint");
  VT_ASSIGN_OR_RETURN(tlog::Checkpoint cp, CheckpointOf(*note, source.Where("checkpoint")));
  VT_RETURN_IF_ERROR(GuardAgainstRollback(out, cp, o.allow_older));

  int64_t written = 0, kept = 0, bytes = 0;
  for (const tlog::TileCoord& coord : tlog::TilesForSize(cp.size, /*with_entries=*/true)) {
    const std::string rel = tlog::PathOf(coord);
    if (fs::exists(out / rel)) {
      ++kept;  // same path, same bytes (tlog-tiles: tiles are immutable)
      continue;
    }
    StatusOr<std::string> data = source.Get(rel);
    if (!data.ok()) return std::move(data).status().Annotate(rel);
    VT_RETURN_IF_ERROR(CheckShape(coord, *data));
    VT_RETURN_IF_ERROR(WriteViaRename(out / rel, *data));
    ++written;
    bytes += static_cast<int64_t>(data->size());
  }
  if (StatusOr<std::string> vkey = source.Get("vkey"); vkey.ok()) {
    VT_RETURN_IF_ERROR(WriteViaRename(out / "vkey", *vkey));
  }
  fs::create_directories(out);
  VT_RETURN_IF_ERROR(SyncFileSystem(out.string()));
  VT_RETURN_IF_ERROR(app::WriteFileAtomic((out / "checkpoint").string(), *note, 0644));
  return Json{{"out", out.string()},
              {"size", cp.size},
              {"written", written},
              {"kept", kept},
              {"bytes", bytes}};
}

}  // namespace vt::cli
