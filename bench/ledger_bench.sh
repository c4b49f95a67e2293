#!/usr/bin/env bash
# Settlement and ledger benchmark (issue 5, "Benchmark"): allocation lines/s on one
# core next to a summing loop and memcpy; ledger transfers/s durably committed in
# batches on SQLite and on PostgreSQL next to the raw INSERT rate of the same
# database; end-to-end settlement of 1,000,000 revenue lines over 10,000
# agreements. Called by bench/run.sh.
#
#   bench/ledger_bench.sh [VTRUST_BINARY]   (ledger_bench is taken from its build dir)
#
# Environment: LEDGER_BENCH_DIR (on disk, not tmpfs; default the build directory),
# LEDGER_BENCH_PG (a libpq connection string; default: a throw-away cluster from
# scripts/with-postgres.sh if PostgreSQL 15 is installed, else PostgreSQL is
# skipped), LEDGER_BENCH_ARGS (extra ledger_bench flags).
set -euo pipefail

bin=${1:-build/vtrust}
build=$(cd "$(dirname "$bin")" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench="$build/ledger_bench"
[ -x "$bench" ] || { echo "ledger_bench: no $bench (build it: ninja -C $build ledger_bench)" >&2; exit 1; }
dir=${LEDGER_BENCH_DIR:-$build}
if [ "$(stat -f -c %T "$dir")" = "tmpfs" ]; then
  echo "ledger_bench: $dir is tmpfs; set LEDGER_BENCH_DIR to a directory on disk" >&2
  exit 1
fi
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
out=$(mktemp "${TMPDIR:-/tmp}/ledger-bench.XXXXXX")
trap 'rm -f "$out"' EXIT
transfers=$(sed -n 's/.*--transfers \([0-9]*\).*/\1/p' <<<"${LEDGER_BENCH_ARGS:-}")
transfers=${transfers:-500000}
batch=$(sed -n 's/.*--batch \([0-9]*\).*/\1/p' <<<"${LEDGER_BENCH_ARGS:-}")
batch=${batch:-10000}
# The benchmark and, on PostgreSQL, the COPY anchor (bench/pg_copy_anchor.sh) of the
# same rows in the same cluster and the same run.
run_with_pg() {  # CONNINFO
  # shellcheck disable=SC2086
  "$bench" --dir "$dir" --pg "$1" ${LEDGER_BENCH_ARGS:-}
  echo "pg_copy_anchor: $(bash "$here/pg_copy_anchor.sh" "$1" "$transfers" "$batch") rows/s"
}
export -f run_with_pg
export bench dir here transfers batch
if [ -n "${LEDGER_BENCH_PG:-}" ]; then
  run_with_pg "$LEDGER_BENCH_PG" | tee "$out"
elif [ -x /usr/lib/postgresql/15/bin/postgres ]; then
  bash "$here/../scripts/with-postgres.sh" bash -c 'run_with_pg "$VTRUST_TEST_PG"' | tee "$out"
else
  # shellcheck disable=SC2086
  "$bench" --dir "$dir" ${LEDGER_BENCH_ARGS:-} | tee "$out"
fi
[ "${PIPESTATUS[0]}" = 0 ] || exit 1

# "(b) ledger transfers on KIND ..." is followed by our rate and the INSERT anchor.
figure() {  # KIND LINE-PREFIX
  awk -v kind="$1" -v pre="$2" '
    /^\(b\) ledger transfers on / { cur = $5; sub(/,$/, "", cur) }
    cur == kind && index($0, pre) == 1 { for (i = NF; i > 0; --i) if ($i ~ /^[0-9.]+$/) { print $i; exit } }' "$out"
}
ours=$(figure sqlite "  ledger PostMovements")
anchor=$(figure sqlite "  anchor: raw INSERT")
bench_row "ledger transfers, durable, batches of $batch (SQLite)" "$ours" "/s" \
  "SQLite multi-row INSERT, same rows and commits" "$anchor" 0.8 ""
if grep -q '^(b) ledger transfers on postgres' "$out"; then
  ours=$(figure postgres "  ledger PostMovements")
  anchor=$(sed -n 's/^pg_copy_anchor: \([0-9]*\) rows\/s/\1/p' "$out")
  bench_row "ledger transfers, durable, batches of $batch (PostgreSQL)" "$ours" "/s" \
    "PostgreSQL COPY, same rows and commits" "$anchor" 0.8 ""
fi
e2e=$(sed -n 's/^  total import + runs + ledger *\([0-9.]*\) s/\1/p' "$out")
lines=$(sed -n 's/^(c) end to end on SQLite: \([0-9]*\) revenue lines over \([0-9]*\) agreements/\1 lines, \2 agreements/p' "$out")
if [ -n "$lines" ]; then
  bench_row "settlement end to end, SQLite: $lines (import + runs + statements)" "$e2e" " s" \
    "" "" "" "" 60
fi
