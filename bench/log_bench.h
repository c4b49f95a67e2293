// Shared pieces of bench/log_bench (the transparency-log benchmark, docs/tlog.md).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace vt::bench {

using Steady = std::chrono::steady_clock;

inline double SecondsSince(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

// Percentile (0..100) of `v` (sorted in place); 0 if empty.
inline double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Physical anchors measured in the same run.
struct Anchors {
  double sha256_per_s = 0;  // SHA-256 of 64-byte inputs
  double fsync_p50_ms = 0;  // 4 KiB pwrite + fdatasync in the data directory
  double fsync_mean_ms = 0;
  double append_fsync_p50_ms = 0;  // 4 KiB append (the file grows, like a WAL) + fdatasync
  double append_fsync_mean_ms = 0;
};
Anchors MeasureAnchors(const std::string& dir);

// Inclusion proofs at `size` leaves (synthetic tree built in memory with
// tlog::NewTilesAfterAppend, then also stored in SQLite under `dir`).
struct ProofFigures {
  int64_t size = 0;
  double build_s = 0;       // time to build the tiles
  double mem_proof_us = 0;  // mean InclusionProof time, in-memory tiles
  double tile_reads = 0;    // mean tile reads per inclusion proof
  int64_t max_tile_reads = 0;
  double consistency_reads = 0;  // mean tile reads per consistency proof
  double db_proof_us = 0;        // mean InclusionProof time, tiles in SQLite
};
ProofFigures MeasureProofs(int64_t size, const std::string& dir, bool with_db);

}  // namespace vt::bench
