#!/usr/bin/env bash
# Transparency-log benchmark (issue 3, "Benchmark"): appends with fsync on (1 and
# many clients, in-process and over HTTP), append-to-signed-checkpoint latency,
# inclusion proofs at 10^7 entries, storage per entry, and the anchors of the same
# run (SHA-256 rate, fsync latency). Called by bench/run.sh.
#
#   bench/log_bench.sh [VTRUST_BINARY]      (default: build/vtrust; log_bench is
#                                            taken from the same build directory)
#
# Environment: LOG_BENCH_SECONDS (per run, default 10), LOG_BENCH_PROOF_SIZE
# (default 10000000), LOG_BENCH_DIR (where the data directories go; default the
# build directory: it must be on a real disk, not tmpfs, or fsync costs nothing).
set -euo pipefail

bin=${1:-build/vtrust}
build=$(cd "$(dirname "$bin")" && pwd)
bench="$build/log_bench"
[ -x "$bench" ] || { echo "log_bench: no $bench (build it: ninja -C $build log_bench)" >&2; exit 1; }
dir=${LOG_BENCH_DIR:-$build}
if [ "$(stat -f -c %T "$dir")" = "tmpfs" ]; then
  echo "log_bench: $dir is tmpfs; set LOG_BENCH_DIR to a directory on disk" >&2
  exit 1
fi
exec "$bench" --dir "$dir" --seconds "${LOG_BENCH_SECONDS:-10}" \
  --proof-size "${LOG_BENCH_PROOF_SIZE:-10000000}"
