// Statement signing and verification by recomputation (statements.h).
#include "app/money/statements.h"

#include <map>

#include "app/core/commitments.h"
#include "app/core/secrets.h"
#include "base/encoding.h"
#include "crypto/digest.h"
#include "settlement/engine.h"
#include "settlement/statement.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

}  // namespace

std::string StatementKeyId(const crypto::PublicKey& key) {
  return HexEncode(crypto::Sha256(key.ToDer()));
}

StatementKey::StatementKey(crypto::PrivateKey key)
    : key_(std::move(key)), key_id_(StatementKeyId(key_.Public())) {}

StatusOr<StatementKey> StatementKey::Open(const Config& config) {
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(config));
  VT_ASSIGN_OR_RETURN(auto key, secrets.LoadOrCreate("statements", crypto::KeyAlg::kEd25519));
  return StatementKey(std::move(key));
}

StatusOr<std::string> StatementKey::Sign(std::string_view bytes) const {
  std::string msg(kStatementSignatureContext);
  msg.append(bytes);
  VT_ASSIGN_OR_RETURN(std::string sig, key_.Sign(msg));
  return Base64Encode(sig);
}

Json SignedStatement(const std::string& run_id, std::string_view bytes,
                     const std::string& signature_b64, const std::string& key_id) {
  return {{"format", kSignedStatementFormat},
          {"run", run_id},
          {"statement", Json::parse(bytes)},
          {"sha256", HexEncode(crypto::Sha256(bytes))},
          {"signature", {{"alg", "ed25519"}, {"key_id", key_id}, {"value", signature_b64}}}};
}

StatusOr<std::string> CheckSignedStatement(const Json& env, const crypto::PublicKey& key) {
  if (!env.is_object() || env.value("format", "") != kSignedStatementFormat ||
      !env.contains("statement") || !env.contains("signature") || !env["signature"].is_object())
    return InvalidArgumentError("not a signed statement (" + std::string(kSignedStatementFormat) +
                                ")")
        .WithField("format");
  VT_ASSIGN_OR_RETURN(std::string bytes, Canonicalize(env["statement"]));
  if (!env["sha256"].is_string() || env["sha256"] != HexEncode(crypto::Sha256(bytes)))
    return InvalidArgumentError("sha256 does not match the statement").WithField("sha256");
  const Json& sig = env["signature"];
  if (sig.value("alg", "") != "ed25519" || sig.value("key_id", "") != StatementKeyId(key))
    return InvalidArgumentError("statement is signed by another key (key_id " +
                                sig.value("key_id", "?") + ")")
        .WithField("signature");
  auto raw = Base64Decode(sig.value("value", ""));
  if (!raw.ok()) return InvalidArgumentError("signature is not base64").WithField("signature");
  std::string msg(kStatementSignatureContext);
  msg += bytes;
  if (!key.Verify(msg, *raw).ok())
    return InvalidArgumentError("operator signature does not verify").WithField("signature");
  return bytes;
}

StatusOr<VersionInput> ParseVersionDocument(std::string_view text) {
  VT_ASSIGN_OR_RETURN(Json doc, ParseJsonStrict(text));
  VersionInput out;
  const Json& terms = doc.is_object() && doc.contains("terms") ? doc["terms"] : doc;
  VT_ASSIGN_OR_RETURN(out.terms, settlement::Agreement::FromJson(terms));
  VT_ASSIGN_OR_RETURN(std::string canonical, Canonicalize(doc));
  out.digest = "sha256:" + HexEncode(crypto::Sha256(canonical));
  return out;
}

StatusOr<std::string> RecomputeStatement(const VersionInput& v,
                                         const std::vector<RevenueLine>& lines,
                                         const std::string& period, const std::string& payee) {
  std::map<std::string, std::vector<RevenueLine>> by_period;
  by_period[period];
  for (const RevenueLine& l : lines)
    if (l.work == v.terms.work && l.currency == v.terms.currency.code && l.period <= period)
      by_period[l.period].push_back(l);
  settlement::SettlementState state;
  for (auto& [p, ls] : by_period) {
    std::sort(ls.begin(), ls.end(), [](const RevenueLine& a, const RevenueLine& b) {
      return a.idempotency_key < b.idempotency_key;
    });
    VT_ASSIGN_OR_RETURN(auto s, settlement::Settle(v.terms, state, p, ls));
    if (p == period) return settlement::StatementJson(v.terms, s, payee, v.digest);
    state = std::move(s.state);
  }
  return InternalError("unreachable");
}

namespace {

// The logged value at `field` of `entry` (index `index`) against `expected`:
// "clear" if logged in clear and equal, "opened" if committed and the envelope's
// opening for it recomputes the commitment and holds `expected`.
StatusOr<std::string> CheckLogged(const Json& envelope, const Json& entry, int64_t index,
                                  const std::string& key, const Json& expected) {
  const std::string field = "/payload/" + key;
  const Json payload = entry.is_object() ? entry.value("payload", Json()) : Json();
  if (!payload.is_object() || !payload.contains(key) || expected.is_null())
    return InvalidArgumentError("log entry " + std::to_string(index) + " has no " + key)
        .WithField("log_index");
  const Json& logged = payload.at(key);
  if (!IsCommitment(logged)) {
    if (logged != expected)
      return InvalidArgumentError("log entry " + std::to_string(index) + " records " + key + " " +
                                  logged.dump() + ", the statement " + expected.dump())
          .WithField(key);
    return std::string("clear");
  }
  const std::string commitment = logged.get<std::string>();
  for (const Json& o : envelope.value("log_openings", Json::array())) {
    if (!o.is_object() || o.value("commitment", "") != commitment) continue;
    VT_RETURN_IF_ERROR(CheckOpening(o, commitment));
    if (o["value"] != expected)
      return InvalidArgumentError("the opening of " + key + " in log entry " +
                                  std::to_string(index) + " holds " + o["value"].dump() +
                                  ", the statement " + expected.dump())
          .WithField(key);
    return std::string("opened");
  }
  return InvalidArgumentError("the envelope has no opening of " + field + " of log entry " +
                              std::to_string(index))
      .WithField("log_openings");
}

}  // namespace

StatusOr<Json> CheckStatementLogEntries(const Json& envelope, const Json& statement_entry,
                                        const Json* run_entry) {
  auto member = [](const Json& j, const char* k) {
    return j.is_object() ? j.value(k, Json()) : Json();
  };
  const Json st = member(envelope, "statement");
  int64_t index = envelope.value("log_index", int64_t{-1});
  const Json& e = statement_entry;
  const std::string run = envelope.value("run", "");
  Json payee = member(member(st, "payee"), "id");
  Json subject = member(e, "subject");
  if (member(e, "type") != "statement.issued" || member(subject, "run") != run ||
      member(subject, "payee") != payee)
    return InvalidArgumentError("log entry " + std::to_string(index) +
                                " is not the statement.issued entry of this run and payee")
        .WithField("log_index");
  if (member(member(e, "payload"), "statement_sha256") != member(envelope, "sha256"))
    return InvalidArgumentError("log entry " + std::to_string(index) +
                                " records another statement_sha256")
        .WithField("sha256");
  Json out;
  VT_ASSIGN_OR_RETURN(std::string total, CheckLogged(envelope, e, index, "total",
                                                     member(member(st, "total"), "amount")));
  out["total"] = total;
  out["net_receipts"] = "not checked";
  if (run_entry != nullptr) {
    const Json& r = *run_entry;
    if (member(r, "type") != "settlement.run" || member(member(r, "subject"), "run") != run)
      return InvalidArgumentError("the run's log entry is not its settlement.run entry")
          .WithField("log_openings");
    VT_ASSIGN_OR_RETURN(std::string net, CheckLogged(envelope, r, -1, "net_receipts",
                                                     member(member(st, "receipts"), "period")));
    out["net_receipts"] = net;
  }
  return out;
}

}  // namespace vt::app
