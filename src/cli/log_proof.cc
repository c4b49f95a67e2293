#include "cli/log_proof.h"

#include <optional>

#include "app/core/config.h"
#include "cli/log_audit.h"
#include "cli/log_source.h"
#include "net/http_client.h"
#include "tlog/tlog_proof.h"

namespace vt::cli {
namespace {

// A proof file as read: tlog-proof text plus what a JSON receipt claims.
struct ProofInput {
  std::string tlog_proof;
  std::optional<tlog::Hash> claimed_leaf;
  std::optional<int64_t> claimed_size;
  std::optional<tlog::Hash> claimed_root;
};

StatusOr<tlog::Hash> HashMember(const Json& j, const char* name) {
  if (!j[name].is_string())
    return InvalidArgumentError(std::string("receipt: \"") + name + "\" is not a string");
  StatusOr<tlog::Hash> h = tlog::HashFromBase64(j[name].get<std::string>());
  if (!h.ok()) return std::move(h).status().Annotate(std::string("receipt: \"") + name + "\"");
  return h;
}

// Converts a JSON receipt to a tlog-proof (same index, hashes and checkpoint).
StatusOr<ProofInput> FromReceipt(const Json& doc) {
  const Json& r = doc.contains("receipt") ? doc["receipt"] : doc;
  if (!r.is_object() || !r.contains("index") || !r["index"].is_number_integer() ||
      !r.contains("hashes") || !r["hashes"].is_array() || !r.contains("checkpoint") ||
      !r["checkpoint"].is_string())
    return InvalidArgumentError(
        "not a tlog-proof file or a receipt with index, hashes and "
        "checkpoint");
  tlog::TlogProof p;
  p.index = r["index"].get<int64_t>();
  p.signed_checkpoint = r["checkpoint"].get<std::string>();
  for (size_t i = 0; i < r["hashes"].size(); ++i) {
    Json one = {{"h", r["hashes"][i]}};
    VT_ASSIGN_OR_RETURN(tlog::Hash h, HashMember(one, "h"));
    p.inclusion_proof.push_back(h);
  }
  ProofInput in;
  VT_ASSIGN_OR_RETURN(in.tlog_proof, tlog::FormatTlogProof(p));
  if (r.contains("leaf_hash")) {
    VT_ASSIGN_OR_RETURN(in.claimed_leaf, HashMember(r, "leaf_hash"));
  }
  if (r.contains("root")) {
    VT_ASSIGN_OR_RETURN(in.claimed_root, HashMember(r, "root"));
  }
  if (r.contains("tree_size") && r["tree_size"].is_number_integer())
    in.claimed_size = r["tree_size"].get<int64_t>();
  return in;
}

StatusOr<ProofInput> ReadProofInput(const std::string& path) {
  VT_ASSIGN_OR_RETURN(std::string text, app::ReadFile(path));
  if (text.rfind(tlog::kTlogProofHeader, 0) == 0) return ProofInput{text, {}, {}, {}};
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return InvalidArgumentError(path + ": neither a tlog-proof file nor a JSON receipt");
  StatusOr<ProofInput> in = FromReceipt(doc);
  if (!in.ok()) return std::move(in).status().Annotate(path);
  return in;
}

StatusOr<tlog::Hash> ChooseLeafHash(const ProofVerifyOptions& o, const ProofInput& in) {
  std::optional<tlog::Hash> given;
  if (!o.entry_file.empty()) {
    VT_ASSIGN_OR_RETURN(std::string entry, app::ReadFile(o.entry_file));
    given = tlog::LeafHash(entry);
  } else if (!o.leaf_hash.empty()) {
    StatusOr<tlog::Hash> h = tlog::HashFromBase64(o.leaf_hash);
    if (!h.ok()) return std::move(h).status().Annotate("--leaf-hash").WithField("leaf-hash");
    given = *h;
  }
  if (given && in.claimed_leaf && *given != *in.claimed_leaf)
    return DataLossError(o.file + ": the receipt's leaf_hash " +
                         tlog::HashToBase64(*in.claimed_leaf) + " is not the entry's " +
                         tlog::HashToBase64(*given));
  if (given) return *given;
  if (in.claimed_leaf) return *in.claimed_leaf;
  return InvalidArgumentError("say which entry the proof is for: --entry FILE or --leaf-hash B64")
      .WithField("entry");
}

Status CheckClaims(const std::string& file, const ProofInput& in, const tlog::Checkpoint& c) {
  if (in.claimed_size && *in.claimed_size != c.size)
    return DataLossError(file + ": the receipt's tree_size " + std::to_string(*in.claimed_size) +
                         " is not its checkpoint's size " + std::to_string(c.size));
  if (in.claimed_root && *in.claimed_root != c.root)
    return DataLossError(file + ": the receipt's root is not its checkpoint's root");
  return OkStatus();
}

StatusOr<std::string> HttpGet(net::HttpClient& http, const std::string& where,
                              const std::string& path) {
  VT_ASSIGN_OR_RETURN(net::HttpResponse res, http.Get(path));
  if (res.status != 200)
    return Status(res.status == 404 ? StatusCode::kNotFound : StatusCode::kUnavailable,
                  "HTTP " + std::to_string(res.status) + " for " + where + path);
  return std::move(res.body);
}

}  // namespace

StatusOr<Json> VerifyProofFile(const ProofVerifyOptions& o) {
  VT_ASSIGN_OR_RETURN(ProofInput in, ReadProofInput(o.file));
  VT_ASSIGN_OR_RETURN(tlog::Hash leaf, ChooseLeafHash(o, in));
  StatusOr<tlog::TlogProof> parsed = tlog::ParseTlogProof(in.tlog_proof);
  if (!parsed.ok())
    return DataLossError(o.file + ": malformed tlog-proof: " + parsed.status().message());
  // The signature first, for a precise message; then the whole proof.
  VT_ASSIGN_OR_RETURN(tlog::Checkpoint cp,
                      OpenLogCheckpoint(parsed->signed_checkpoint, o.key, o.file + ": checkpoint"));
  VT_RETURN_IF_ERROR(CheckClaims(o.file, in, cp));
  tlog::TlogProofPolicy policy;
  policy.origin = o.key->name();
  policy.log_keys = {o.key};
  StatusOr<tlog::VerifiedTlogProof> v = tlog::VerifyTlogProof(in.tlog_proof, leaf, policy);
  if (!v.ok()) {
    return DataLossError(o.file + ": inclusion proof of leaf " + tlog::HashToBase64(leaf) +
                         " at index " + std::to_string(parsed->index) +
                         " does not verify against the checkpoint (size " +
                         std::to_string(cp.size) + "): " + v.status().message());
  }
  return Json{{"index", v->proof.index},
              {"tree_size", v->checkpoint.size},
              {"root", tlog::HashToBase64(v->checkpoint.root)},
              {"leaf_hash", tlog::HashToBase64(leaf)},
              {"origin", v->checkpoint.origin},
              {"witnesses", v->witnesses}};
}

StatusOr<Json> DownloadProof(const std::string& server, int64_t index,
                             const std::string& proof_file, const std::string& entry_file) {
  VT_ASSIGN_OR_RETURN(auto parts, SplitHttpUrl(server));
  VT_ASSIGN_OR_RETURN(auto client, net::NewHttpClient(parts.first));  // 10 s connect, 60 s read
  net::HttpClient& http = *client;
  const std::string base = parts.second + "/v1/log/entries/" + std::to_string(index);
  VT_ASSIGN_OR_RETURN(std::string proof, HttpGet(http, parts.first, base + "/tlog-proof"));
  VT_ASSIGN_OR_RETURN(std::string body, HttpGet(http, parts.first, base));
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("entry") || !doc["leaf_hash"].is_string())
    return DataLossError(parts.first + base + ": not an entry document");
  VT_ASSIGN_OR_RETURN(std::string entry, Canonicalize(doc["entry"]));
  const std::string leaf = tlog::HashToBase64(tlog::LeafHash(entry));
  if (leaf != doc["leaf_hash"].get<std::string>())
    return DataLossError(parts.first + base + ": the entry does not hash to its leaf_hash");
  VT_RETURN_IF_ERROR(app::WriteFileAtomic(proof_file, proof, 0644));
  VT_RETURN_IF_ERROR(app::WriteFileAtomic(entry_file, entry, 0644));
  return Json{{"index", index},
              {"proof_file", proof_file},
              {"entry_file", entry_file},
              {"leaf_hash", leaf}};
}

}  // namespace vt::cli
