#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each. Each target's working corpus is
# BUILD/corpus/<target> (new inputs go there); the committed seeds in
# fuzz/corpus/<target>/ (small, hand-picked: real checkpoints, notes, CSRs, OCSP
# requests...) are read as a second corpus directory. Prints, per target, the
# final coverage line (cov = edges, ft = features), executions/s and peak RSS.
# Exits non-zero on the first crash, leak or sanitizer report (the reproducer
# is left in BUILD/).
#
#   fuzz/run.sh [BUILD] [SECONDS] [TARGET...]     (default: build-fuzz 60, all)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-build-fuzz}
seconds=${2:-60}
shift $(( $# > 2 ? 2 : $# ))
cd "$build"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_*)
for bin in "${targets[@]}"; do
  [ -x "$bin" ] || continue
  mkdir -p "corpus/$bin"
  seeds=()
  [ -d "$here/corpus/$bin" ] && seeds=("$here/corpus/$bin")
  echo "== $bin (${seconds}s)"
  set +e
  "./$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
    "corpus/$bin" "${seeds[@]}" >"$bin.log" 2>&1
  status=$?
  set -e
  grep -E "DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss|ERROR|SUMMARY" \
    "$bin.log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $bin failed (exit $status); full output in $build/$bin.log" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran without a crash"
