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

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bin=${1:-build/vtrust}
build=$(cd "$(dirname "$bin")" && pwd)
bench="$build/log_bench"
[ -x "$bench" ] || { echo "log_bench: no $bench (build it: ninja -C $build log_bench)" >&2; exit 1; }
dir=${LOG_BENCH_DIR:-$build}
if [ "$(stat -f -c %T "$dir")" = "tmpfs" ]; then
  echo "log_bench: $dir is tmpfs; set LOG_BENCH_DIR to a directory on disk" >&2
  exit 1
fi
out=$(mktemp "${TMPDIR:-/tmp}/log-bench.XXXXXX")
trap 'rm -f "$out"' EXIT
"$bench" --dir "$dir" --seconds "${LOG_BENCH_SECONDS:-10}" \
  --proof-size "${LOG_BENCH_PROOF_SIZE:-10000000}" | tee "$out"
# storage (..., mean entry E bytes): log tables T bytes/entry = entry + O bytes overhead; ...
read -r entry overhead < <(sed -n 's/.*mean entry \([0-9.]*\) bytes.*= entry + \([0-9.]*\) bytes overhead.*/\1 \2/p' "$out")
bench_row "log storage overhead per entry, beyond the entry bytes" "${overhead:-}" " B" \
  "mean entry bytes (RFC 6962 leaf hash = 32 B)" "${entry:-}" "" "" 40
# appends: the best Service::Write rate vs appending fdatasyncs/s
best=$(sed -n 's/^targets: >= 10000 entries\/s sustained: \([0-9]*\).*/\1/p' "$out")
fsyncs=$(sed -n 's/^anchors:.*after a 4 KiB append.*mean [0-9.]* ms (\([0-9]*\)\/s).*/\1/p' "$out")
bench_row "log appends, durable, in-process (best of 1-1024 clients)" "${best:-}" "/s" \
  "fdatasync after a 4 KiB append" "${fsyncs:-}" "" 10000
