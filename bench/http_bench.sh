#!/usr/bin/env bash
# HTTP benchmark of `vtrust serve` with nginx as the anchor (issue 2, "Benchmark").
#
#   bench/http_bench.sh [VTRUST_BINARY]        (default: build/vtrust)
#
# Builds nothing. In a temporary directory it initializes a data directory, starts
# `vtrust serve --access-log off` on a free port and an unprivileged nginx
# (worker_processes 2, access_log off) serving static files whose sizes equal the
# vtrust response bodies, then runs wrk with keep-alive, one target at a time:
#   1. vtrust GET /healthz                      vs nginx, a file of the same size
#   2. vtrust GET /v1/orgs/{id} with a Bearer   vs nginx, a file of the same size
#      token (authentication + a store read)
#   3. vtrust cached OCSP (GET form, RFC 6960    vs nginx, a file of the same size
#      App. A.1) for a card it issued
#   4. vtrust GET of a log tile                 vs nginx, a file of the same size
# and prints requests/s, p99 latency and the vtrust/nginx ratio for each (target
# >= 0.85). Then vtrust alone:
#   5. IDLE (default 10000) idle keep-alive connections held by a helper while wrk
#      measures /healthz (target: p99 under 50 ms);
#   6. log appends (POST /v1/orgs, each a log entry) from 256 keep-alive wrk
#      connections (target >= 10,000/s, no non-2xx).
# Everything it started is stopped on exit (trap, by recorded PID).
#
# Environment: DURATION (seconds, default 10), THREADS (wrk threads, default 2),
# CONNECTIONS (default 32), IDLE (default 10000). 32 connections saturate two cores.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bin=${1:-build/vtrust}
duration=${DURATION:-10}
threads=${THREADS:-2}
conns=${CONNECTIONS:-32}
idle=${IDLE:-10000}

die() { echo "http_bench: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no vtrust binary at $bin (build it first: ninja -C build vtrust)"
for tool in wrk nginx curl openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (scripts/setup.sh installs it)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtrust-bench.XXXXXX")
vtrust_pid=""
nginx_pid=""
idle_pid=""
cleanup() {
  [ -n "$idle_pid" ] && kill "$idle_pid" 2>/dev/null && wait "$idle_pid" 2>/dev/null
  [ -n "$vtrust_pid" ] && kill "$vtrust_pid" 2>/dev/null && wait "$vtrust_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# True if something listens on TCP port $1 (per /proc/net/tcp*).
port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
                    END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || { echo "$port"; return 0; }
  done
  die "no free TCP port found"
}
# Waits until URL answers 200 (up to 60 s).
wait_ready() {
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  die "$1 did not become ready"
}

# --- vtrust ---------------------------------------------------------------------
"$bin" init --data "$tmp/data" --kek "file:$tmp/kek" --json >"$tmp/init.json" || die "vtrust init failed"
token=$(sed -n 's/^  "token": "\(.*\)",\{0,1\}$/\1/p' "$tmp/init.json")
org=$(awk '/"org": \{/ { in_org = 1 } in_org && /"id":/ { gsub(/[",]/, "", $2); print $2; exit }' \
  "$tmp/init.json")
[ -n "$token" ] && [ -n "$org" ] || die "cannot read the token and org from vtrust init --json"

"$bin" serve --data "$tmp/data" --listen 127.0.0.1:0 --access-log off 2>"$tmp/vtrust.log" &
vtrust_pid=$!
for _ in $(seq 1 600); do
  grep -qs "vtrust: serving" "$tmp/vtrust.log" && break
  kill -0 "$vtrust_pid" 2>/dev/null || { cat "$tmp/vtrust.log" >&2; die "vtrust serve exited"; }
  sleep 0.1
done
vport=$(sed -n 's/.*vtrust: serving .* on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$tmp/vtrust.log" | head -1)
[ -n "$vport" ] || die "vtrust did not print its address"
vurl="http://127.0.0.1:$vport"
wait_ready "$vurl/healthz"

auth_path="/v1/orgs/$org"
mkdir -p "$tmp/www/v1/orgs"
curl -sf -o "$tmp/www/healthz" "$vurl/healthz"
curl -sf -H "Authorization: Bearer $token" -o "$tmp/www$auth_path" "$vurl$auth_path" ||
  die "the authenticated read $auth_path failed"
cat >"$tmp/auth.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $token"
EOF

# A card and a DER OCSP request for it; the GET form of the request.
cli() { "$bin" --server "$vurl" --token "$token" "$@"; }
cli character register --name Bench --json >"$tmp/character.json" || die "character register failed"
character=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' \
  "$tmp/character.json")
cli card issue "$character" --alg p256 --json >"$tmp/card.json" || die "card issue failed"
python3 - "$tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1] + "/card.json"))
open(sys.argv[1] + "/card.pem", "w").write(d["certificate"])
open(sys.argv[1] + "/issuing.pem", "w").write(d["chain"])
PY
openssl ocsp -issuer "$tmp/issuing.pem" -cert "$tmp/card.pem" -no_nonce \
  -reqout "$tmp/req.der" >/dev/null 2>&1 || die "openssl ocsp -reqout failed"
ocsp_path="/pki/ocsp/p256/$(python3 -c 'import base64, sys, urllib.parse
print(urllib.parse.quote(base64.b64encode(open(sys.argv[1], "rb").read()).decode(), safe=""))' \
  "$tmp/req.der")"
curl -sf -o "$tmp/www/ocsp" "$vurl$ocsp_path" || die "the OCSP GET failed"
# A log tile: the partial level-0 tile of the current tree (C2SP tlog-tiles).
size=$(curl -sf "$vurl/log/checkpoint" | sed -n 2p)
tile_path="/log/tile/0/000.p/$size"
curl -sf -o "$tmp/www/tile" "$vurl$tile_path" || die "the tile $tile_path failed"

# --- nginx ----------------------------------------------------------------------
nport=$(free_port)
mkdir -p "$tmp/nginx"
{
  [ "$(id -u)" -eq 0 ] && echo "user root;"  # workers must read $tmp (mode 0700)
  cat <<EOF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 1000000;
  default_type application/json;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
  }
}
EOF
} >"$tmp/nginx/nginx.conf"
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' 2>>"$tmp/nginx/error.log" &
nginx_pid=$!
nurl="http://127.0.0.1:$nport"
wait_ready "$nurl/healthz"

# --- wrk ------------------------------------------------------------------------
# Runs wrk; prints "REQ_PER_SEC P99_MS NON2XX".
run_wrk() {
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "$@" 2>&1) || {
    echo "$out" >&2
    die "wrk failed"
  }
  echo "$out" >>"$tmp/wrk.log"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" {
              v = $2
              if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
              else if (v ~ /ms$/) { sub(/ms$/, "", v) }
              else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
              printf "%.2f", v }' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
  echo "${rps:-0} ${p99:-?} ${non2xx:-0}"
}

size_of() { wc -c <"$1" | tr -d ' '; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

echo "http_bench: wrk -t$threads -c$conns -d${duration}s --latency (keep-alive)"
echo "http_bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-52s %12s %10s %8s\n' "target" "requests/s" "p99 ms" "non-2xx"
status=0
bench_pair() {
  local label=$1 path=$2 file=$3 npath=$4
  shift 4
  read -r v_rps v_p99 v_bad < <(run_wrk "$@" "$vurl$path")
  read -r n_rps n_p99 n_bad < <(run_wrk "$nurl$npath")
  printf '%-52s %12s %10s %8s\n' "vtrust $label" "$v_rps" "$v_p99" "$v_bad"
  printf '%-52s %12s %10s %8s\n' "nginx static file ($(size_of "$file") bytes)" "$n_rps" "$n_p99" \
    "$n_bad"
  printf '%-52s %12s\n' "ratio vtrust/nginx" "$(ratio "$v_rps" "$n_rps")"
  bench_row "HTTP read: vtrust $label" "$v_rps" "/s" \
    "nginx, static file of the same size" "$n_rps" 0.85 ""
  [ "$v_bad" = "0" ] || { echo "http_bench: vtrust answered $v_bad non-2xx responses" >&2; status=1; }
}
bench_pair "GET /healthz" /healthz "$tmp/www/healthz" /healthz
bench_pair "GET $auth_path (Bearer)" "$auth_path" "$tmp/www$auth_path" "$auth_path" \
  -s "$tmp/auth.lua"
bench_pair "cached OCSP, GET form" "$ocsp_path" "$tmp/www/ocsp" /ocsp
bench_pair "GET $tile_path" "$tile_path" "$tmp/www/tile" /tile

# --- idle keep-alive connections ------------------------------------------------
cat >"$tmp/idle.py" <<'PY'
import resource, socket, sys, time
port, n, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
conns = []
req = b"GET /healthz HTTP/1.1\r\nHost: b\r\n\r\n"
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(req)
    conns.append(s)
ok = sum(1 for s in conns if s.recv(4096).startswith(b"HTTP/1.1 200"))
open(ready, "w").write(str(ok))
time.sleep(3600)
PY
python3 "$tmp/idle.py" "$vport" "$idle" "$tmp/idle.ready" &
idle_pid=$!
for _ in $(seq 1 1200); do
  [ -s "$tmp/idle.ready" ] && break
  kill -0 "$idle_pid" 2>/dev/null || die "the idle-connection helper exited"
  sleep 0.1
done
held=$(cat "$tmp/idle.ready" 2>/dev/null || echo 0)
read -r i_rps i_p99 i_bad < <(run_wrk "$vurl/healthz")
printf '%-52s %12s %10s %8s\n' "vtrust GET /healthz, $held idle keep-alive held" "$i_rps" \
  "$i_p99" "$i_bad"
bench_row "p99 of GET /healthz with $held idle keep-alive connections held" "$i_p99" " ms" \
  "" "" "" "" 50
awk -v p="$i_p99" 'BEGIN { exit !(p < 50) }' ||
  echo "http_bench: p99 $i_p99 ms >= 50 ms with $held idle connections"
kill "$idle_pid" 2>/dev/null || true
wait "$idle_pid" 2>/dev/null || true
idle_pid=""

# --- log appends through HTTP ---------------------------------------------------
cat >"$tmp/append.lua" <<EOF
local n = 0
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
function request()
  n = n + 1
  return wrk.format(nil, "/v1/orgs", nil, '{"name":"bench-' .. tid .. '-' .. n .. '"}')
end
EOF
conns=256
read -r a_rps a_p99 a_bad < <(run_wrk -s "$tmp/append.lua" "$vurl/v1/orgs")
printf '%-52s %12s %10s %8s\n' "vtrust POST /v1/orgs (log appends), 256 keep-alive" "$a_rps" \
  "$a_p99" "$a_bad"
bench_row "log appends via HTTP (POST /v1/orgs, 256 keep-alive)" "$a_rps" "/s" "" "" "" 10000
[ "$a_bad" = "0" ] || { echo "http_bench: $a_bad appends were refused" >&2; status=1; }
exit $status
