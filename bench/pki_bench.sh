#!/usr/bin/env bash
# The CA and revocation benchmark (issue 4, "Benchmark"; not a test).
#
#   bench/pki_bench.sh [VTRUST_BINARY]        (default: build/vtrust; pki_bench next to it)
#
# Builds nothing. Measures, in one run, and prints next to `openssl speed` (same
# machine, same minute) with the ratio:
#   1. openssl speed -elapsed -seconds 2 ecdsap256 ed25519 sm2: sign/s and verify/s
#      (1 core; -elapsed: per wall-clock second, as pki_bench and wrk count, so a
#      loaded machine slows the anchor and our figure alike);
#   2. pki_bench (in-process, 1 thread): ID cards issued/s through x509::Ca (lint,
#      throwaway signature, real signature and its check) vs openssl sign/s, and
#      cards verified/s (chain via LeafVerifier + revocation status from a
#      verified CRL) vs openssl verify/s (target >= 80 %);
#   3. through the API of `vtrust serve` (wrk, keep-alive): ID cards issued/s by
#      POST /v1/characters/{id}/cards from a CSR, each durably committed with its
#      card.issued log entry and receipt (target >= 5,000 P-256 cards/s), and
#      custodial issuance (the server generates and seals the key);
#   4. cached OCSP responses/s over HTTP (wrk; GET form of RFC 6960 App. A and
#      POST with a DER body), target >= 20,000/s.
# Environment: DURATION (wrk seconds, default 10), CONNECTIONS (default 32),
# THREADS (wrk threads, default 2), SECONDS_INPROC (default 2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bin=${1:-build/vtrust}
bench_bin=${PKI_BENCH:-$(dirname "$bin")/pki_bench}
duration=${DURATION:-10}
conns=${CONNECTIONS:-32}
threads=${THREADS:-2}
inproc=${SECONDS_INPROC:-2}

die() { echo "pki_bench: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no vtrust binary at $bin (build it first: ninja -C build vtrust)"
[ -x "$bench_bin" ] || die "no pki_bench at $bench_bin (ninja -C build pki_bench)"
for tool in wrk openssl curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtrust-pki-bench.XXXXXX")
vtrust_pid=""
cleanup() {
  [ -n "$vtrust_pid" ] && kill "$vtrust_pid" 2>/dev/null && wait "$vtrust_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else print "n/a" }'; }
row() { printf '%-58s %12s %14s %9s\n' "$@"; }

echo "pki_bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(openssl version)"

# --- 1. openssl speed -----------------------------------------------------------
openssl speed -elapsed -seconds 2 ecdsap256 ed25519 sm2 >"$tmp/speed.txt" 2>/dev/null ||
  die "openssl speed failed"
declare -A sign verify
while read -r alg pattern; do
  line=$(grep -E "$pattern" "$tmp/speed.txt" | tail -1)
  [ -n "$line" ] || die "no $alg line in openssl speed output"
  sign[$alg]=$(awk '{ print $(NF-1) }' <<<"$line")
  verify[$alg]=$(awk '{ print $NF }' <<<"$line")
done <<'EOF'
p256 ecdsa \(nistp256\)
ed25519 EdDSA \(Ed25519\)
sm2 SM2 \(CurveSM2\)
EOF

# --- 2. in-process --------------------------------------------------------------
"$bench_bin" --seconds "$inproc" --threads 1 >"$tmp/inproc.txt" || die "pki_bench failed"
figure() { awk -v w="$1" -v a="$2" '$2 == w && $3 == a { print $4 }' "$tmp/inproc.txt"; }

row "figure (1 core unless said)" "per second" "openssl/s" "ratio"
for alg in p256 ed25519 sm2; do
  v=$(figure issue "$alg")
  row "issue $alg in-process (x509::Ca, lint + sign + check)" "$v" "${sign[$alg]} sign" \
    "$(ratio "$v" "${sign[$alg]}")"
  v=$(figure verify "$alg")
  row "verify $alg (chain + CRL status, LeafVerifier)" "$v" "${verify[$alg]} vfy" \
    "$(ratio "$v" "${verify[$alg]}")"
  bench_row "ID card verification $alg (chain + revocation status), 1 core" "$v" "/s" \
    "openssl speed -elapsed $alg verify" "${verify[$alg]}" 0.85 ""
done

# --- 3./4. a live server --------------------------------------------------------
"$bin" init --data "$tmp/data" --kek "file:$tmp/kek" --json >"$tmp/init.json" || die "vtrust init failed"
token=$(sed -n 's/^  "token": "\(.*\)",\{0,1\}$/\1/p' "$tmp/init.json")
[ -n "$token" ] || die "cannot read the token from vtrust init --json"
# `vtrust init` may have created the CA already.
"$bin" ca init --data "$tmp/data" --json >"$tmp/ca.json" 2>"$tmp/ca.err" ||
  grep -q "initialized already" "$tmp/ca.err" || die "vtrust ca init failed"
"$bin" serve --data "$tmp/data" --listen 127.0.0.1:0 --access-log off \
  --threads $((conns + 8)) 2>"$tmp/vtrust.log" &
vtrust_pid=$!
for _ in $(seq 1 600); do
  grep -qs "vtrust: serving" "$tmp/vtrust.log" && break
  kill -0 "$vtrust_pid" 2>/dev/null || { cat "$tmp/vtrust.log" >&2; die "vtrust serve exited"; }
  sleep 0.1
done
vport=$(sed -n 's/.*vtrust: serving .* on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$tmp/vtrust.log" | head -1)
[ -n "$vport" ] || die "vtrust did not print its address"
url="http://127.0.0.1:$vport"
cli() { "$bin" --server "$url" --token "$token" "$@"; }
cli_json_field() { sed -n "s/^  \"$1\": \"\(.*\)\",\{0,1\}\$/\1/p"; }

character=$(cli character register --name "Bench" --json | cli_json_field id)
[ -n "$character" ] || die "character register failed"
cli card issue "$character" --alg p256 --json >"$tmp/card.json" || die "card issue failed"
python3 - "$tmp" <<'EOF' || die "cannot read card issue --json"
import json, sys
d = json.load(open(sys.argv[1] + "/card.json"))
open(sys.argv[1] + "/card.pem", "w").write(d["certificate"])
open(sys.argv[1] + "/issuing.pem", "w").write(d["chain"])
EOF
openssl ocsp -issuer "$tmp/issuing.pem" -cert "$tmp/card.pem" -no_nonce \
  -reqout "$tmp/ocsp-req.der" >/dev/null 2>&1 || die "openssl ocsp -reqout failed"
curl -sf -X POST --data-binary @"$tmp/ocsp-req.der" -H 'Content-Type: application/ocsp-request' \
  -o "$tmp/ocsp-resp.der" "$url/pki/ocsp/p256" || die "OCSP POST failed"
openssl ocsp -respin "$tmp/ocsp-resp.der" -issuer "$tmp/issuing.pem" -cert "$tmp/card.pem" \
  -no_nonce -noverify 2>&1 | grep -q ': good' || die "the responder did not say good"

# Runs wrk; prints "REQ_PER_SEC NON2XX".
run_wrk() {
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${duration}s" "$@" 2>&1) || { echo "$out" >&2; die "wrk failed"; }
  echo "$out" >>"$tmp/wrk.log"
  echo "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out") $(awk '/Non-2xx or 3xx/ { print $NF }' <<<"$out")"
}

# CSR (P-256) for API issuance; one CSR for every request (proof of possession
# is checked on each).
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/k.pem" \
  -subj "/CN=bench" -out "$tmp/csr.pem" 2>/dev/null || die "openssl req failed"
python3 - "$tmp" "$token" <<'EOF'
import json, sys
tmp, token = sys.argv[1], sys.argv[2]
csr = open(tmp + "/csr.pem").read()
for name, body in (("issue-csr", {"alg": "p256", "csr": csr}), ("issue-custodial", {"alg": "p256"})):
    open(f"{tmp}/{name}.lua", "w").write(
        'wrk.method = "POST"\n'
        f'wrk.body = {json.dumps(json.dumps(body))}\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n')
open(tmp + "/ocsp-post.lua", "w").write(
    'wrk.method = "POST"\n'
    f'local f = io.open("{tmp}/ocsp-req.der", "rb")\n'
    'wrk.body = f:read("*a")\nf:close()\n'
    'wrk.headers["Content-Type"] = "application/ocsp-request"\n')
EOF
get_path="/pki/ocsp/p256/$(base64 -w0 "$tmp/ocsp-req.der" | python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read(), safe=""))')"

echo
echo "pki_bench: HTTP, wrk -t$threads -c$conns -d${duration}s (keep-alive), vtrust --threads $((conns + 8))"
row "figure (whole server, 2 cores)" "per second" "openssl/s" "ratio"
status=0
check() { [ "${2:-0}" = "0" ] || [ -z "${2:-}" ] || { echo "pki_bench: $1: $2 non-2xx" >&2; status=1; }; }
read -r rps bad < <(run_wrk -s "$tmp/ocsp-post.lua" "$url/pki/ocsp/p256")
row "OCSP POST, cached response (p256)" "$rps" "${sign[p256]} sign" "$(ratio "$rps" "${sign[p256]}")"
bench_row "cached OCSP responses via HTTP POST (wrk -c$conns)" "$rps" "/s" "" "" "" 20000
check "OCSP POST" "$bad"
read -r rps bad < <(run_wrk "$url$get_path")
row "OCSP GET, cached response (p256)" "$rps" "${sign[p256]} sign" "$(ratio "$rps" "${sign[p256]}")"
check "OCSP GET" "$bad"
read -r rps bad < <(run_wrk -s "$tmp/issue-csr.lua" "$url/v1/characters/$character/cards")
row "issue p256 via API (CSR, durable commit + receipt)" "$rps" "${sign[p256]} sign" \
  "$(ratio "$rps" "${sign[p256]}")"
bench_row "P-256 ID cards issued via the API (CSR, durable, receipt)" "$rps" "/s" \
  "openssl speed -elapsed ecdsap256 sign" "${sign[p256]}" "" 5000
check "issue (CSR)" "$bad"
read -r rps bad < <(run_wrk -s "$tmp/issue-custodial.lua" "$url/v1/characters/$character/cards")
row "issue p256 via API (custodial key, sealed)" "$rps" "${sign[p256]} sign" \
  "$(ratio "$rps" "${sign[p256]}")"
check "issue (custodial)" "$bad"
exit $status
