// A c2sp.org/tlog-witness witness: the pure decision of witness_core.h
// wired to a state store (compare-and-swap) and cosigning keys. No HTTP here:
// the server maps WitnessResponse onto its framework verbatim.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "tlog/cosignature.h"
#include "tlog/witness_core.h"

namespace vt::tlog {

// Persistence a witness needs: the latest cosigned state per origin, updated
// atomically (tlog-witness: "checking the old size ... and persisting the new
// checkpoint must be performed atomically"). Implementations must be
// thread-safe.
class WitnessStateStore {
 public:
  virtual ~WitnessStateStore() = default;
  // The latest cosigned state for `origin`, or nullopt if none.
  virtual StatusOr<std::optional<WitnessLogState>> Load(std::string_view origin) = 0;
  // Atomically replaces the state of `origin` with `next` iff the stored state
  // still equals `expected` (nullopt: no row). Aborted if it changed; other
  // errors for storage failures. The update must be durable on OK.
  virtual Status CompareAndSwap(std::string_view origin,
                                const std::optional<WitnessLogState>& expected,
                                const WitnessLogState& next) = 0;
};

// An in-memory WitnessStateStore (tests, tools). Thread-safe.
class MemoryWitnessStateStore : public WitnessStateStore {
 public:
  StatusOr<std::optional<WitnessLogState>> Load(std::string_view origin) override;
  Status CompareAndSwap(std::string_view origin, const std::optional<WitnessLogState>& expected,
                        const WitnessLogState& next) override;

 private:
  std::mutex mu_;
  std::map<std::string, WitnessLogState, std::less<>> states_;
};

struct WitnessResponse {
  int http_status = 500;
  std::string content_type;  // "text/plain; charset=utf-8" or kTlogSizeContentType
  std::string body;          // 200: cosignature lines; 409: "<size>\n"; else a message
};

class Witness {
 public:
  // `logs` are the logs this witness cosigns (origins must be unique);
  // `cosigners` sign every accepted checkpoint (at least one). The store and
  // clock must outlive the witness. InvalidArgument on a bad configuration.
  static StatusOr<std::unique_ptr<Witness>> Create(std::vector<WitnessLogConfig> logs,
                                                   std::vector<std::shared_ptr<Cosigner>> cosigners,
                                                   WitnessStateStore& store, const Clock& clock);

  // Handles one add-checkpoint request body end to end: parse, decide,
  // compare-and-swap the new state (retrying on Aborted), cosign. Storage or
  // signer failures are 500/503. Thread-safe.
  WitnessResponse AddCheckpoint(std::string_view body);

 private:
  Witness(std::vector<WitnessLogConfig> logs, std::vector<std::shared_ptr<Cosigner>> cosigners,
          WitnessStateStore& store, const Clock& clock);
  WitnessResponse Cosign(const std::string& text);

  std::map<std::string, WitnessLogConfig, std::less<>> logs_;
  std::vector<std::shared_ptr<Cosigner>> cosigners_;
  WitnessStateStore& store_;
  const Clock& clock_;
};

}  // namespace vt::tlog
