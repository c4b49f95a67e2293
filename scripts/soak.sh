#!/usr/bin/env bash
# The soak (`make soak`; not part of `make test`): `vtrust serve` on SQLite under a
# steady mixed load for SOAK_SECONDS (default 600) — ID cards issued, revenue
# imported, settlement runs, reads — then every acknowledged write is read back.
# Prints the server's RSS, open files and per-kind p99 latency for the first and the
# last minute (bench/README.md). Fails if any acknowledged write is missing or the
# server answered 5xx.
#
#   scripts/soak.sh [VTRUST_BINARY]            (default: build/vtrust)
#
# Environment: SOAK_SECONDS (600), SOAK_RATE (requests/s of the whole mix, 40),
# SOAK_DIR (where the data directory goes; default the build directory, on disk).
# Everything it started is stopped on exit (recorded PID).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/../bench/lib.sh"
bin=${1:-build/vtrust}
die() { echo "soak: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no vtrust binary at $bin (build it first: ninja -C build vtrust)"
for tool in openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (scripts/setup.sh installs it)"
done
base=${SOAK_DIR:-$(cd "$(dirname "$bin")" && pwd)}
tmp=$(mktemp -d "$base/soak.XXXXXX")
vtrust_pid=""
cleanup() {
  [ -n "$vtrust_pid" ] && kill "$vtrust_pid" 2>/dev/null && wait "$vtrust_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_vtrust "$bin" "$tmp"
token=$VTRUST_TOKEN
read -r org member < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["org"]["id"], d["member"]["id"])' "$tmp/init.json")

# Setup through the real flow: the admin's member certificate from a local key, a
# work, an agreement whose only party is the operator organization, signed by its admin.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/me.key" 2>/dev/null
openssl req -new -key "$tmp/me.key" -subj "/CN=soak" -out "$tmp/me.csr" 2>/dev/null
"$bin" member-cert --org "$org" --member "$member" --csr "$tmp/me.csr" --json >"$tmp/cert.json" ||
  die "member-cert failed"
python3 -c 'import json,sys; open(sys.argv[2],"w").write(json.load(open(sys.argv[1]))["certificate"])' \
  "$tmp/cert.json" "$tmp/me.pem"
work=$("$bin" work register --type concert --title en=Soak --holder "copyright=$org:10000" \
  --sha256 "$(printf soak | sha256sum | cut -d' ' -f1)" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || die "work register failed"
cat >"$tmp/terms.json" <<JSON
{"format": "vtrust-agreement/1", "currency": "CNY",
 "parties": [{"id": "$org", "name": "Soak Studio"}],
 "tiers": [{"id": "split", "kind": "shares", "unit": "bp",
            "shares": [{"payee": "$org", "weight": 10000}]}]}
JSON
"$bin" agreement create --work "$work" --terms "$tmp/terms.json" --json >"$tmp/agr.json" ||
  die "agreement create failed"
read -r agreement version < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
v = d.get("version") or d["versions"][-1]
print(d["id"], v["hash"] if isinstance(v, dict) else v)' "$tmp/agr.json")
"$bin" agreement sign "$agreement" --version "$version" --key "$tmp/me.key" --cert "$tmp/me.pem" \
  >/dev/null || die "agreement sign failed"

python3 "$here/soak_load.py" --url "$VTRUST_SERVER" --token "$token" --pid "$vtrust_pid" \
  --work "$work" --agreement "$agreement" --seconds "${SOAK_SECONDS:-600}" \
  --rate "${SOAK_RATE:-40}"
