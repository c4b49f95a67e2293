#!/usr/bin/env bash
# Runs every benchmark script in bench/ (bench/*_bench.sh) one after the other.
#
#   bench/run.sh [VTRUST_BINARY]      (default: build/vtrust; BUILD=dir also works)
#
# Builds nothing (`make bench` builds first). Exits non-zero if any benchmark failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-${BUILD:-build}/vtrust}
status=0
for script in "$here"/*_bench.sh; do
  [ -e "$script" ] || continue
  echo "== $(basename "$script")"
  bash "$script" "$bin" || { echo "== $(basename "$script") FAILED" >&2; status=1; }
done
exit $status
