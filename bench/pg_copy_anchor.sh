#!/usr/bin/env bash
# PostgreSQL's own bulk load, the anchor of the ledger row on PostgreSQL: COPY of
# TOTAL ledger-transfer rows (the columns of ledger_bench's raw table) in batches of
# BATCH rows, one COPY and one commit per batch, through psql on one connection.
# Prints the rate in rows/s on its last line.
#
#   bench/pg_copy_anchor.sh CONNINFO TOTAL BATCH
set -euo pipefail
conninfo=$1 total=$2 batch=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pg-copy-anchor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" "$total" "$batch" <<'PY'
import sys
tmp, total, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(tmp + "/load.sql", "w") as sql:
    sql.write("DROP TABLE IF EXISTS copy_anchor_transfers;\n"
              "CREATE TABLE copy_anchor_transfers (id TEXT PRIMARY KEY, run_id TEXT NOT NULL, "
              "seq BIGINT NOT NULL, kind TEXT NOT NULL, debit_account TEXT NOT NULL, "
              "credit_account TEXT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL, "
              "reverses TEXT, created_at TEXT NOT NULL);\n\\timing on\n")
    for b in range(total // batch):
        run = f"run_bench_{b}"
        path = f"{tmp}/b{b}.csv"
        with open(path, "w") as f:
            for i in range(batch):
                f.write(f"{run}/{i+1},{run},{i+1},settlement,acc:collection,acc:p{i % 1000},"
                        f"{1 + (i * 7919) % 1000000},CNY,,2026-11-23T00:00:00Z\n")
        sql.write(f"\\copy copy_anchor_transfers FROM '{path}' WITH (FORMAT csv)\n")
    sql.write("\\timing off\nDROP TABLE copy_anchor_transfers;\n")
PY
start=$(date +%s.%N)
psql -X -q -v ON_ERROR_STOP=1 "$conninfo" -f "$tmp/load.sql" >"$tmp/out" 2>&1 ||
  { cat "$tmp/out" >&2; exit 1; }
end=$(date +%s.%N)
# Time inside the server session only (the \timing lines of the COPYs), not psql start-up.
ms=$(awk '/^Time: / { s += $2 } END { print s }' "$tmp/out")
awk -v n=$(( total / batch * batch )) -v ms="$ms" -v a="$start" -v b="$end" \
  'BEGIN { t = (ms > 0) ? ms / 1000 : b - a; printf "%.0f\n", n / t }'
