#!/usr/bin/env bash
# Revenue import benchmark (not a test): a CSV of LINES revenue lines imported through
# the CLI into a running `vtrust serve` (SQLite, durable: every request is committed
# with its revenue.imported log entry before the reply), next to the database's own
# bulk load of the same rows measured in the same run:
#   anchor = sqlite3 loading the same rows into a table of the same columns, with
#            multi-row INSERTs (500 rows each) in one transaction, WAL and
#            synchronous=FULL like vtrust's store.
# Targets (docs: bench/README.md): >= 50 % of the anchor and >= 100,000 lines/s.
#
#   bench/revenue_bench.sh [VTRUST_BINARY]     (default: build/vtrust)
#
# Environment: LINES (default 200000), REVENUE_BENCH_DIR (on disk; default the
# build directory). Everything it started is stopped on exit (recorded PID).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bin=${1:-build/vtrust}
lines=${LINES:-200000}
die() { echo "revenue_bench: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no vtrust binary at $bin (build it first: ninja -C build vtrust)"
for tool in sqlite3 python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (scripts/setup.sh installs it)"
done
base=${REVENUE_BENCH_DIR:-$(cd "$(dirname "$bin")" && pwd)}
[ "$(stat -f -c %T "$base")" != "tmpfs" ] || die "$base is tmpfs; set REVENUE_BENCH_DIR to a disk"
tmp=$(mktemp -d "$base/revenue-bench.XXXXXX")
vtrust_pid=""
cleanup() {
  [ -n "$vtrust_pid" ] && kill "$vtrust_pid" 2>/dev/null && wait "$vtrust_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

echo "revenue_bench: $lines lines, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
start_vtrust "$bin" "$tmp"
token=$VTRUST_TOKEN
org=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["org"]["id"])' "$tmp/init.json")

# The work the revenue belongs to (revenue for unknown works is refused).
work=$("$bin" work register --type concert --title en=Bench --holder "copyright=$org:10000" \
  --sha256 "$(printf bench | sha256sum | cut -d' ' -f1)" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || die "work register failed"

python3 - "$tmp" "$lines" "$work" <<'PY'
import sys
tmp, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(tmp + "/rev.csv", "w") as f, open(tmp + "/load.sql", "w") as s:
    f.write("idempotency_key,work,amount_minor,currency,territory,channel,period,external_ref\n")
    s.write("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n"
            "CREATE TABLE revenue_lines(org TEXT, idempotency_key TEXT, work TEXT, "
            "amount_minor INTEGER, currency TEXT, territory TEXT, channel TEXT, period TEXT, "
            "external_ref TEXT, batch INTEGER, PRIMARY KEY(org, idempotency_key));\nBEGIN;\n")
    rows = []
    for i in range(n):
        amount = 100 + (i * 7919) % 100000
        f.write(f"k{i},{work},{amount},CNY,CN,ticketing,2026-10,ref{i}\n")
        rows.append(f"('org','k{i}','{work}',{amount},'CNY','CN','ticketing','2026-10','ref{i}',1)")
        if len(rows) == 500:
            s.write("INSERT INTO revenue_lines VALUES " + ",".join(rows) + ";\n"); rows = []
    if rows: s.write("INSERT INTO revenue_lines VALUES " + ",".join(rows) + ";\n")
    s.write("COMMIT;\n")
PY
sync

t0=$(now)
sqlite3 "$tmp/anchor.db" <"$tmp/load.sql" >/dev/null || die "sqlite3 bulk load failed"
t1=$(now)
anchor=$(rate "$lines" "$t0" "$t1")

t0=$(now)
"$bin" revenue import "$tmp/rev.csv" >"$tmp/import.out" 2>&1 ||
  { cat "$tmp/import.out" >&2; die "vtrust revenue import failed"; }
t1=$(now)
ours=$(rate "$lines" "$t0" "$t1")
tail -n 2 "$tmp/import.out"
echo "revenue_bench: vtrust revenue import $ours lines/s; sqlite3 multi-row INSERT $anchor rows/s"
bench_row "revenue import, CSV via CLI to server, durable (SQLite)" "$ours" "/s" \
  "sqlite3 multi-row INSERT, 1 transaction" "$anchor" 0.5 100000
