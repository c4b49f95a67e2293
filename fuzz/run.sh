#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each with a corpus under build-fuzz/corpus/.
# Exits non-zero on the first crash (the reproducer is left in build-fuzz/).
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-60}
cd "$build"
for bin in fuzz_*; do
  [ -x "$bin" ] || continue
  mkdir -p "corpus/$bin"
  echo "== $bin (${seconds}s)"
  "./$bin" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "corpus/$bin" 2>&1 |
    grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY" || true
  test "${PIPESTATUS[0]}" -eq 0
done
echo "fuzz: all targets ran without a crash"
