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
# shellcheck disable=SC2086
if [ -n "${LEDGER_BENCH_PG:-}" ]; then
  exec "$bench" --dir "$dir" --pg "$LEDGER_BENCH_PG" ${LEDGER_BENCH_ARGS:-}
elif [ -x /usr/lib/postgresql/15/bin/postgres ]; then
  exec bash "$here/../scripts/with-postgres.sh" bash -c \
    '"$0" --dir "$1" --pg "$VTRUST_TEST_PG" ${2:-}' "$bench" "$dir" "${LEDGER_BENCH_ARGS:-}"
else
  exec "$bench" --dir "$dir" ${LEDGER_BENCH_ARGS:-}
fi
