// Statement signing, verification by recomputation, and the revenue CSV format.
#include "app/money/statements.h"

#include <map>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "app/core/secrets.h"
#include "settlement/engine.h"
#include "settlement/statement.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

constexpr const char* kCsvColumns[] = {"idempotency_key", "work",        "amount_minor",
                                       "currency",        "territory",   "channel",
                                       "period",          "external_ref"};
constexpr size_t kCsvColumnCount = 8;

Status CsvError(int64_t row, const std::string& column, const std::string& msg) {
  std::string where = "row " + std::to_string(row) + (column.empty() ? "" : ", column " + column);
  return InvalidArgumentError(where + ": " + msg).WithField(where);
}

// "lines[0].currency" -> "currency".
std::string FieldName(const std::string& path) {
  size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

StatusOr<int64_t> ParseInt(const std::string& s) {
  if (s.empty() || s.size() > 20) return InvalidArgumentError("not an integer");
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return InvalidArgumentError("not an integer");
  __int128 v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return InvalidArgumentError("not an integer");
    v = v * 10 + (s[i] - '0');
    if (v > settlement::kMaxAmount) return OutOfRangeError("beyond the 2^53-1 limit");
  }
  return static_cast<int64_t>(s[0] == '-' ? -v : v);
}

}  // namespace

std::string StatementKeyId(const crypto::PublicKey& key) {
  return HexEncode(crypto::Sha256(key.ToDer()));
}

StatementKey::StatementKey(crypto::PrivateKey key)
    : key_(std::move(key)), key_id_(StatementKeyId(key_.Public())) {}

StatusOr<StatementKey> StatementKey::Open(const std::string& data_dir) {
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(data_dir));
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

StatusOr<bool> RevenueCsvReader::ReadRecord(std::vector<std::string>* fields) {
  fields->clear();
  std::string line;
  if (!std::getline(in_, line)) return false;
  ++row_;
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (;;) {
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur += c;
        }
      } else if (c == '"' && cur.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        fields->push_back(std::move(cur));
        cur.clear();
        was_quoted = false;
      } else if (c == '\r' && i + 1 == line.size()) {
      } else if (c == '"') {
        return CsvError(row_, "", "stray quote in an unquoted field");
      } else {
        cur += c;
      }
    }
    if (!quoted) break;
    if (!std::getline(in_, line)) return CsvError(row_, "", "unterminated quoted field");
    cur += '\n';
  }
  fields->push_back(std::move(cur));
  return true;
}

StatusOr<bool> RevenueCsvReader::Next(RevenueLine* out) {
  std::vector<std::string> f;
  if (row_ < 0) {
    VT_ASSIGN_OR_RETURN(bool any, ReadRecord(&f));
    if (!any)
      return CsvError(0, "", "empty file: expected the header " + std::string(kRevenueCsvHeader));
    bool ok = f.size() == kCsvColumnCount;
    for (size_t i = 0; ok && i < kCsvColumnCount; ++i) ok = f[i] == kCsvColumns[i];
    if (!ok) return CsvError(0, "", "header must be " + std::string(kRevenueCsvHeader));
  }
  VT_ASSIGN_OR_RETURN(bool any, ReadRecord(&f));
  while (any && f.size() == 1 && f[0].empty()) {
    VT_ASSIGN_OR_RETURN(any, ReadRecord(&f));  // blank lines
  }
  if (!any) return false;
  if (f.size() != kCsvColumnCount)
    return CsvError(
        row_, "",
        "has " + std::to_string(f.size()) + " fields, expected " + std::to_string(kCsvColumnCount));
  RevenueLine l;
  l.idempotency_key = f[0];
  l.work = f[1];
  auto amount = ParseInt(f[2]);
  if (!amount.ok()) return CsvError(row_, "amount_minor", std::string(amount.status().message()));
  l.amount = *amount;
  l.currency = f[3];
  l.territory = f[4];
  l.channel = f[5];
  l.period = f[6];
  l.external_ref = f[7];
  Status s = settlement::ValidateRevenueLine(l, "");
  if (s.ok() && l.work.empty()) s = InvalidArgumentError("work is required").WithField("work");
  if (!s.ok()) return CsvError(row_, FieldName(s.field()), std::string(s.message()));
  *out = std::move(l);
  return true;
}

std::string RevenueCsvHeaderLine() { return std::string(kRevenueCsvHeader) + "\r\n"; }

std::string RevenueCsvRow(const RevenueLine& l) {
  using settlement::CsvField;
  return CsvField(l.idempotency_key) + "," + CsvField(l.work) + "," + std::to_string(l.amount) +
         "," + CsvField(l.currency) + "," + CsvField(l.territory) + "," + CsvField(l.channel) +
         "," + CsvField(l.period) + "," + CsvField(l.external_ref) + "\r\n";
}

}  // namespace vt::app
