#!/usr/bin/env bash
# Runs every benchmark script in bench/ (bench/*_bench.sh) one after the other, then
# prints one table: every figure next to its anchor measured in the same run, the
# ratio, the target and met/MISSED (bench/README.md says what each row measures).
#
#   bench/run.sh [VTRUST_BINARY]      (default: build/vtrust; BUILD=dir also works)
#   BENCH_ONLY="pki log" bench/run.sh  runs only bench/pki_bench.sh and bench/log_bench.sh
#
# Builds nothing (`make bench` builds first). The table is also written, as Markdown,
# to $BENCH_OUT (default: bench-results.md in the build directory). Exits non-zero if
# any benchmark script failed; a MISSED target is reported, not an error.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-${BUILD:-build}/vtrust}
out=${BENCH_OUT:-$(dirname "$bin")/bench-results.md}
table=$(mktemp "${TMPDIR:-/tmp}/vtrust-bench-table.XXXXXX")
trap 'rm -f "$table"' EXIT
export VTRUST_BENCH_TABLE=$table

status=0
started=$(date -u +%FT%TZ)
for script in "$here"/*_bench.sh; do
  [ -e "$script" ] || continue
  name=$(basename "$script" _bench.sh)
  if [ -n "${BENCH_ONLY:-}" ] && ! grep -qw "$name" <<<"$BENCH_ONLY"; then continue; fi
  echo "== $(basename "$script")"
  BENCH_COMMAND="bash bench/$(basename "$script")" bash "$script" "$bin" ||
    { echo "== $(basename "$script") FAILED" >&2; status=1; }
done

{
  echo "# vtrust benchmarks, $started, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| figure | ours | anchor (same run) | anchor figure | ratio | target | result | command |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | `%s` |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$table"
} >"$out"
echo
echo "== one table (also in $out)"
awk -F'\t' 'BEGIN { printf "%-58s %14s  %-36s %14s %6s  %-24s %s\n", "figure", "ours", "anchor", "anchor fig.", "ratio", "target", "result" }
  { printf "%-58s %14s  %-36s %14s %6s  %-24s %s\n", $1, $2, $3, $4, $5, $6, $7 }' "$table"
echo "met $(grep -c $'\tmet\t' "$table") / $(wc -l <"$table") rows"
exit $status
