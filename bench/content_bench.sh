#!/usr/bin/env bash
# Content credentials benchmark (docs/c2pa.md; not a test).
#
#   bench/content_bench.sh [VTRUST_BINARY]     (default: build/vtrust; content_bench_gen next to it)
#
# Builds nothing. For each container (JPEG, PNG, WAV, MP4, and a sidecar of the
# JPEG) it writes a SIZE-byte asset (default 1G; SIZE=256M for a shorter run),
# then, in the same run and on the same file:
#   - sha256sum FILE                               (the anchor: one read, one hash)
#   - vtrust --data D content sign FILE ...        (local mode: the asset is streamed
#                                                   through files, never held in memory)
#   - vtrust --data D content verify SIGNED ...
# and prints each one's throughput (MB/s of the input asset), its ratio to
# sha256sum (target >= 80 %) and the peak RSS from /usr/bin/time (target < 64 MB).
# Signing reads the asset several times (its SHA-256 for the log entry, the
# container scan, the hash pass, the write pass) and `content sign` then
# verifies what it wrote, once more reading it: its ratio is bounded well below
# the single-read anchor. The files sit in the page cache (no cache drop).
# With LIB_ONLY=1 only the library (content_lib_bench: c2pa::SignStream and
# c2pa::Verify on files, no registry or log, an openssl-made signer) is
# measured, which needs neither vtrust nor a data directory.
set -euo pipefail

bin=${1:-build/vtrust}
gen=${CONTENT_BENCH_GEN:-$(dirname "$bin")/content_bench_gen}
lib=${CONTENT_LIB_BENCH:-$(dirname "$bin")/content_lib_bench}
size=${SIZE:-1G}

die() { echo "content_bench: $*" >&2; exit 1; }
[ "${LIB_ONLY:-0}" = 1 ] || [ -x "$bin" ] || die "no vtrust binary at $bin (ninja -C build vtrust)"
[ -x "$gen" ] || die "no content_bench_gen at $gen (ninja -C build content_bench_gen)"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (apt-get install time)"
bytes=$(numfmt --from=iec "$size")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtrust-content-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
data="$tmp/data"

# Runs "$@" under /usr/bin/time; sets secs and rss_kb.
measure() {
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" ||
    die "$* failed: $(tail -3 "$tmp/err")"
  read -r secs rss_kb <"$tmp/time"
}
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", b / s / 1e6; else print "inf" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }'; }
row() { printf '%-8s %-8s %9s %8s %9s %9s %8s\n' "$@"; }

if [ "${LIB_ONLY:-0}" = 1 ]; then
  [ -x "$lib" ] || die "no content_lib_bench at $lib (ninja -C build content_lib_bench)"
  (cd "$tmp" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key \
      -out root.pem -days 30 -subj '/CN=Bench Root/O=Bench' \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key \
      -out leaf.csr -subj '/CN=Bench signer/O=Bench' &&
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=1.3.6.1.4.1.62558.2.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >ext.cnf &&
    openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 \
      -extfile ext.cnf -out leaf.pem) >/dev/null 2>&1 || die "openssl chain failed"
  echo "content_bench (library): $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), asset size $size"
  row kind step seconds MB/s "vs sha" "peak RSS" verdict
  for kind in jpeg png wav mp4 sidecar; do
    src_kind=$kind
    [ "$kind" = sidecar ] && src_kind=jpeg
    in="$tmp/in.$src_kind"
    [ -e "$in" ] || "$gen" "$src_kind" "$bytes" "$in" || die "content_bench_gen $src_kind failed"
    sha256sum "$in" >/dev/null
    measure sha256sum "$in"
    sha_secs=$secs
    row "$kind" sha256sum "$secs" "$(mbps "$secs")" "100 %" "$((rss_kb / 1024)) MB" ""
    "$lib" "$kind" "$tmp/leaf.key" "$tmp/leaf.pem" "$tmp/root.pem" "$in" "$tmp/out" >"$tmp/lib.out" ||
      die "content_lib_bench $kind failed: $(cat "$tmp/lib.out")"
    read -r s v r _ verdict < <(sed 's/[a-z_]*=//g' "$tmp/lib.out")
    row "" sign "$s" "$(mbps "$s")" "$(ratio "$sha_secs" "$s")" "$((r / 1024)) MB" ""
    row "" verify "$v" "$(mbps "$v")" "$(ratio "$sha_secs" "$v")" "(same process)" "$verdict"
    rm -f "$tmp/out"
    [ "$kind" = jpeg ] || [ "$kind" = sidecar ] || rm -f "$in"
  done
  exit 0
fi

"$bin" init --data "$data" --json >"$tmp/init.json" 2>"$tmp/init.err" || die "init: $(cat "$tmp/init.err")"
ch=$("$bin" --data "$data" character register --name Bench --ai-driven --json |
  sed -n 's/.*"id": *"\(VC-[^"]*\)".*/\1/p' | head -1)
[ -n "$ch" ] || die "character register failed"
"$bin" --data "$data" card issue "$ch" --json >/dev/null || die "card issue failed"

echo "content_bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), asset size $size ($bytes bytes)"
row kind step seconds MB/s "vs sha" "peak RSS" verdict
for kind in jpeg png wav mp4 sidecar; do
  src_kind=$kind
  [ "$kind" = sidecar ] && src_kind=jpeg
  in="$tmp/in.$src_kind"
  out="$tmp/signed.$src_kind"
  [ "$kind" = sidecar ] && out="$tmp/in.$src_kind.c2pa"
  [ -e "$in" ] || "$gen" "$src_kind" "$bytes" "$in" || die "content_bench_gen $src_kind failed"
  sha256sum "$in" >/dev/null  # into the page cache, like every later read
  measure sha256sum "$in"
  sha_secs=$secs
  row "$kind" sha256sum "$secs" "$(mbps "$secs")" "100 %" "$((rss_kb / 1024)) MB" ""
  measure "$bin" --data "$data" content sign "$in" --as "$ch" -o "$out" --json
  verdict=$(sed -n 's/.*"verdict": *"\([a-z_]*\)".*/\1/p' "$tmp/out" | head -1)
  row "" sign "$secs" "$(mbps "$secs")" "$(ratio "$sha_secs" "$secs")" "$((rss_kb / 1024)) MB" "$verdict"
  if [ "$kind" = sidecar ]; then
    measure "$bin" --data "$data" content verify "$in" --sidecar "$out" --json
  else
    measure "$bin" --data "$data" content verify "$out" --json
  fi
  verdict=$(sed -n 's/.*"verdict": *"\([a-z_]*\)".*/\1/p' "$tmp/out" | head -1)
  row "" verify "$secs" "$(mbps "$secs")" "$(ratio "$sha_secs" "$secs")" "$((rss_kb / 1024)) MB" "$verdict"
  rm -f "$out"
  [ "$kind" = jpeg ] || [ "$kind" = sidecar ] || rm -f "$in"
done
