#include "cli/log_audit.h"

#include <cstdio>
#include <filesystem>
#include <optional>

#include "app/core/config.h"
#include "cli/log_source.h"
#include "tlog/checkpoint.h"
#include "tlog/log_verify.h"
#include "tlog/merkle.h"
#include "tlog/proof.h"
#include "tlog/tile_path.h"

namespace vt::cli {
namespace {

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

std::string Describe(const tlog::Checkpoint& c) {
  return "size " + std::to_string(c.size) + ", root " + tlog::HashToBase64(c.root);
}

// Before fetching anything: a smaller size is a rollback, the same size with
// another root a fork (RFC 6962 §2.1.2: a tree has one root per size).
Status CheckAgainstPrevious(const tlog::Checkpoint& prev, const tlog::Checkpoint& now) {
  if (now.size < prev.size) {
    return DataLossError("rollback: the log's checkpoint (" + Describe(now) +
                         ") is older than the saved checkpoint (" + Describe(prev) + ")");
  }
  if (now.size == prev.size && now.root != prev.root) {
    return DataLossError(
        "fork detected: the log's checkpoint and the saved checkpoint have "
        "the same size " +
        std::to_string(now.size) + " but different roots (" + tlog::HashToBase64(now.root) +
        " vs saved " + tlog::HashToBase64(prev.root) + ")");
  }
  return OkStatus();
}

// After the audit: the consistency proof computed from the (now verified)
// fetched tiles must verify against the saved root (RFC 9162 §2.1.4.2).
Status ProveConsistency(const tlog::Checkpoint& prev, const tlog::Checkpoint& now,
                        tlog::TileReader& tiles) {
  if (prev.size == 0 || prev.size == now.size) return OkStatus();
  StatusOr<std::vector<tlog::Hash>> proof = tlog::ConsistencyProof(prev.size, now.size, tiles);
  if (!proof.ok()) {
    return DataLossError("consistency: cannot build the proof from size " +
                         std::to_string(prev.size) + " to " + std::to_string(now.size) + ": " +
                         proof.status().message());
  }
  Status s = tlog::VerifyConsistency(prev.size, now.size, *proof, prev.root, now.root);
  if (!s.ok()) {
    return DataLossError("fork detected: the log at " + Describe(now) +
                         " does not extend the saved checkpoint (" + Describe(prev) +
                         "): consistency proof does not verify (" + s.message() + ")");
  }
  return OkStatus();
}

StatusOr<std::optional<tlog::Checkpoint>> LoadState(const LogVerifyOptions& o) {
  if (o.state_file.empty() || !std::filesystem::exists(o.state_file)) return std::nullopt;
  VT_ASSIGN_OR_RETURN(std::string note, app::ReadFile(o.state_file));
  VT_ASSIGN_OR_RETURN(tlog::Checkpoint c,
                      OpenLogCheckpoint(note, o.key, "state file " + o.state_file));
  return c;
}

tlog::EntryVisitor EntryChecker(int64_t size) {
  return [size](int64_t index, std::string_view entry) -> Status {
    Status s = CheckVtrustEntry(entry);
    if (s.ok()) return s;
    const int64_t bundle = index / tlog::kTileWidth;
    return DataLossError(tlog::EntriesPath(bundle, tlog::TileWidthAt(0, bundle, size)) +
                         ": entry " + std::to_string(index) + " " + s.message());
  };
}

// True if the served hash tiles lead from tile/0/<index> to the signed root:
// each full tile matches its parent (tlog::CheckTileAgainstParent) up to the
// right edge, where the partial tiles give the checkpoint's root.
bool ServedTilesReachRoot(int64_t index, const tlog::Checkpoint& cp, FetchedLog& log) {
  int level = 0;
  for (; tlog::TileWidthAt(level, index, cp.size) == tlog::kTileWidth; index /= tlog::kTileWidth) {
    const int64_t parent = index / tlog::kTileWidth;
    StatusOr<std::string> child = log.ReadTile(level, index, tlog::kTileWidth);
    StatusOr<std::string> up =
        log.ReadTile(level + 1, parent, tlog::TileWidthAt(level + 1, parent, cp.size));
    if (!child.ok() || !up.ok()) return false;
    if (!tlog::CheckTileAgainstParent(level, index, *child, *up).ok()) return false;
    ++level;
  }
  StatusOr<tlog::Hash> root = tlog::TreeRoot(cp.size, log);
  return root.ok() && *root == cp.root;
}

// A level-0 tile and its entry bundle disagree: says which of the two the
// signed root sides with, so that the message names the altered resource.
Status AttributeLevel0(Status s, const tlog::Checkpoint& cp, FetchedLog& log) {
  Json d = Json::parse(s.details(), nullptr, /*allow_exceptions=*/false);
  if (!d.is_object() || !d["resource"].is_string()) return s;
  StatusOr<tlog::TileCoord> c = tlog::ParseTilePath(d["resource"].get<std::string>());
  if (!c.ok() || c->entries() || c->level != 0) return s;
  const std::string tile = tlog::PathOf(*c), bundle = tlog::EntriesPath(c->index, c->width);
  const std::string verdict =
      ServedTilesReachRoot(c->index, cp, log)
          ? "; the hash tiles agree with the signed root, so " + bundle + " was altered"
          : "; " + tile + " does not lead to the signed root through the tiles above it, so " +
                "the hash tile was altered";
  return DataLossError(s.message() + verdict).WithDetails(s.details());
}

}  // namespace

StatusOr<std::shared_ptr<const tlog::NoteVerifier>> LoadVerifierKey(const std::string& arg) {
  std::string text = arg;
  if (!arg.empty() && arg[0] == '@') {
    VT_ASSIGN_OR_RETURN(text, app::ReadFile(arg.substr(1)));
  }
  StatusOr<std::shared_ptr<const tlog::NoteVerifier>> key = tlog::ParseVerifierKey(Trim(text));
  if (!key.ok()) return InvalidArgumentError("--vkey: " + key.status().message()).WithField("vkey");
  if ((*key)->sig_type() != tlog::kSigTypeEd25519)
    return InvalidArgumentError("--vkey must be the log's Ed25519 note key, not a cosigner key")
        .WithField("vkey");
  return key;
}

std::string KeyLabel(const tlog::NoteVerifier& key) {
  char id[9];
  std::snprintf(id, sizeof id, "%08x", key.key_id());
  return key.name() + "+" + id;
}

Status CheckVtrustEntry(std::string_view entry) {
  if (entry.size() > tlog::kMaxEntrySize)
    return InvalidArgumentError("is " + std::to_string(entry.size()) + " bytes (limit 65535)");
  StatusOr<Json> j = ParseJsonStrict(entry);
  if (!j.ok()) return InvalidArgumentError("is not strict JSON: " + j.status().message());
  if (!j->is_object()) return InvalidArgumentError("is not a JSON object");
  auto type = j->find("type");
  if (type == j->end() || !type->is_string() || type->get<std::string>().empty())
    return InvalidArgumentError("has no \"type\" string");
  auto v = j->find("v");
  if (v == j->end() || !v->is_number_integer()) return InvalidArgumentError("has no integer \"v\"");
  StatusOr<std::string> canonical = Canonicalize(*j);
  if (!canonical.ok() || *canonical != entry)
    return InvalidArgumentError("is not in RFC 8785 canonical form");
  return OkStatus();
}

StatusOr<tlog::Checkpoint> OpenLogCheckpoint(const std::string& note,
                                             const std::shared_ptr<const tlog::NoteVerifier>& k,
                                             const std::string& what) {
  const tlog::NoteVerifier& key = *k;
  StatusOr<tlog::VerifiedCheckpoint> v = tlog::OpenCheckpoint(note, key.name(), {k});
  if (v.ok()) return v->checkpoint;
  if (v.status().code() == StatusCode::kPermissionDenied) {
    return PermissionDeniedError(what + ": signature does not verify with " + KeyLabel(key) + " (" +
                                 v.status().message() + ")");
  }
  return DataLossError(what + ": not a valid signed checkpoint for " + KeyLabel(key) + ": " +
                       v.status().message());
}

StatusOr<Json> VerifyPublishedLog(const LogVerifyOptions& o) {
  VT_ASSIGN_OR_RETURN(auto fetcher, OpenLogFetcher(o.source));
  StatusOr<std::string> note = fetcher->Get("checkpoint");
  if (!note.ok()) return std::move(note).status().Annotate("checkpoint");
  VT_ASSIGN_OR_RETURN(tlog::Checkpoint now, OpenLogCheckpoint(*note, o.key, "checkpoint"));
  VT_ASSIGN_OR_RETURN(std::optional<tlog::Checkpoint> prev, LoadState(o));
  if (prev) VT_RETURN_IF_ERROR(CheckAgainstPrevious(*prev, now));

  FetchedLog log(*fetcher);
  StatusOr<tlog::LogAuditReport> report = tlog::AuditLog(now, &log, log, EntryChecker(now.size));
  if (!report.ok()) return AttributeLevel0(std::move(report).status(), now, log);
  if (prev) VT_RETURN_IF_ERROR(ProveConsistency(*prev, now, log.cache()));
  if (!o.state_file.empty()) {
    Status s = app::WriteFileAtomic(o.state_file, *note, 0644);
    if (!s.ok()) return std::move(s).Annotate("saving the state file");
  }
  Json previous = nullptr;
  if (prev) previous = {{"size", prev->size}, {"root", tlog::HashToBase64(prev->root)}};
  return Json{{"origin", now.origin},
              {"size", now.size},
              {"root", tlog::HashToBase64(now.root)},
              {"entries", report->entries},
              {"bundles", report->bundles},
              {"tiles", report->tiles_checked},
              {"bytes", log.bytes_fetched()},
              {"previous", previous},
              {"state_saved", !o.state_file.empty()}};
}

}  // namespace vt::cli
