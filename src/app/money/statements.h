// Signed statements and their verification (docs/settlement.md,
// "Statements: signing and verification").
//
// A statement is the RFC 8785 JSON of settlement::StatementJson. The operator
// signs it with a dedicated Ed25519 statement key, sealed in the data directory
// (Secrets "statements"), over kStatementSignatureContext || statement bytes. The
// public key is published (GET /v1/statement-key, `vtrust settle vkey`). The
// signed form is the envelope
//   {"format": "vtrust-signed-statement/1", "run": id, "statement": {...},
//    "sha256": hex of the statement bytes,
//    "signature": {"alg": "ed25519", "key_id": hex SHA-256 of the SPKI DER,
//                  "value": base64}}
// The statement's bytes are Canonicalize(envelope["statement"]): JSON has one
// canonical form, so the envelope may be re-serialized without harm.
// A statement.issued log entry carries the same sha256.
#pragma once

#include <string>
#include <vector>

#include "app/core/config.h"
#include "base/jcs.h"
#include "base/status.h"
#include "crypto/key.h"
#include "settlement/lines.h"
#include "settlement/terms.h"

namespace vt::app {

inline constexpr std::string_view kSignedStatementFormat = "vtrust-signed-statement/1";
inline constexpr std::string_view kStatementSignatureContext = "vtrust statement signature v1\n";

class StatementKey {
 public:
  // Loads (or creates on first use) the sealed key of the data directory of
  // `config` (under its key-encryption key, Config::kek).
  static StatusOr<StatementKey> Open(const Config& config);
  explicit StatementKey(crypto::PrivateKey key);
  // base64 signature of context || bytes.
  StatusOr<std::string> Sign(std::string_view statement_bytes) const;
  const std::string& key_id() const { return key_id_; }
  std::string PublicPem() const { return key_.Public().ToPem(); }

 private:
  crypto::PrivateKey key_;
  std::string key_id_;
};

// Hex SHA-256 of the SPKI DER: the key id.
std::string StatementKeyId(const crypto::PublicKey& key);

// The envelope above.
Json SignedStatement(const std::string& run_id, std::string_view statement_bytes,
                     const std::string& signature_b64, const std::string& key_id);

// Checks an envelope: format, sha256 of the statement bytes, key id and the
// signature under `key`. On success returns the statement bytes. InvalidArgument
// naming what failed ("signature", "sha256", "format").
StatusOr<std::string> CheckSignedStatement(const Json& envelope, const crypto::PublicKey& key);

// The agreement terms and the digest statements quote ("sha256:<hex>") from an
// agreement version document ({"terms": ...}; the digest is of its canonical
// bytes) or from bare terms (then of the terms' canonical bytes).
struct VersionInput {
  settlement::Agreement terms;
  std::string digest;
};
StatusOr<VersionInput> ParseVersionDocument(std::string_view text);

// Recomputes the statement of `payee` for `period`: settles every period of
// `lines` up to `period` in order, from an empty state, with `version`, and
// renders the payee's statement of `period` (RFC 8785 bytes). Lines of other
// works or currencies are ignored as the server ignores them.
StatusOr<std::string> RecomputeStatement(const VersionInput& version,
                                         const std::vector<settlement::RevenueLine>& lines,
                                         const std::string& period, const std::string& payee);

// Checks a signed statement against its log entries (docs/log-entries.md,
// "Commitments"): `statement_entry` (parsed) must be the statement.issued entry of
// the envelope's run and payee with the envelope's sha256, and its total must equal
// the statement's total: in clear in a version-1 entry, else by the opening in the
// envelope's "log_openings" (the salt and value recompute the logged commitment).
// `run_entry` (may be null) is the run's settlement.run entry: its net receipts
// must equal the statement's period receipts likewise. Returns {"total": "clear" |
// "opened", "net_receipts": "clear" | "opened" | "not checked"}; InvalidArgument
// naming what differs.
StatusOr<Json> CheckStatementLogEntries(const Json& envelope, const Json& statement_entry,
                                        const Json* run_entry);

}  // namespace vt::app
