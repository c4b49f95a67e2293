# Shared by the bench/*_bench.sh scripts (sourced, not run).
#
# bench_row records one row of the table that `make bench` (bench/run.sh) prints at
# the end: our figure, the anchor measured in the same run, their ratio, the target
# and whether it is met. Rows go to the file named by $VTRUST_BENCH_TABLE (one
# tab-separated line each); when a script is run on its own, without that variable,
# rows are only printed.
#
#   bench_row FIGURE OURS UNIT ANCHOR_NAME ANCHOR MIN_RATIO MIN_ABS [MAX_ABS] [COMMAND]
#
#   FIGURE       what is measured ("P-256 cards issued via the API")
#   OURS UNIT    our figure and its unit ("1498" "/s")
#   ANCHOR_NAME  the physical anchor ("openssl speed ecdsap256 sign")
#   ANCHOR       the anchor's figure in the same run, same unit ("" when none)
#   MIN_RATIO    target as OURS/ANCHOR >= MIN_RATIO ("" when the target is absolute)
#   MIN_ABS      target as OURS >= MIN_ABS ("" when none)
#   MAX_ABS      target as OURS <= MAX_ABS ("" when none), for times and sizes
#   COMMAND      the command that reproduces the row (default: the calling script)
#
# A row is "met" when every target given holds; rows whose figure is missing are
# "failed". Ratios are OURS/ANCHOR for rates; for times and sizes (MAX_ABS rows) the
# anchor is shown as is and the ratio is still OURS/ANCHOR.

bench_row() {
  local figure=$1 ours=$2 unit=$3 anchor_name=$4 anchor=$5 min_ratio=$6 min_abs=$7
  local max_abs=${8:-} command=${9:-${BENCH_COMMAND:-bash bench/$(basename "$0")}}
  local verdict ratio
  read -r ratio verdict < <(awk -v o="$ours" -v a="$anchor" -v r="$min_ratio" \
    -v lo="$min_abs" -v hi="$max_abs" 'BEGIN {
      if (o == "" || o == "n/a") { print "n/a failed"; exit }
      ratio = (a != "" && a + 0 > 0) ? sprintf("%.2f", o / a) : "-"
      ok = 1
      if (r != "" && (ratio == "-" || o / a < r + 0)) ok = 0
      if (lo != "" && o + 0 < lo + 0) ok = 0
      if (hi != "" && o + 0 > hi + 0) ok = 0
      print ratio, (ok ? "met" : "MISSED")
    }')
  local target=""
  [ -n "$min_ratio" ] && target="ratio >= $min_ratio"
  [ -n "$min_abs" ] && target="${target:+$target, }>= $min_abs$unit"
  [ -n "$max_abs" ] && target="${target:+$target, }<= $max_abs$unit"
  printf 'bench_row: %s: %s%s (anchor %s: %s%s, ratio %s; target %s): %s\n' "$figure" "$ours" \
    "$unit" "$anchor_name" "${anchor:--}" "${anchor:+$unit}" "$ratio" "${target:--}" "$verdict"
  if [ -n "${VTRUST_BENCH_TABLE:-}" ]; then
    printf '%s\t%s%s\t%s\t%s%s\t%s\t%s\t%s\t%s\n' "$figure" "$ours" "$unit" "$anchor_name" \
      "${anchor:--}" "${anchor:+$unit}" "$ratio" "${target:--}" "$verdict" "$command" \
      >>"$VTRUST_BENCH_TABLE"
  fi
}

# start_vtrust BIN DIR: initializes DIR/data (its key-encryption key in DIR/kek, so
# nothing is left outside DIR), starts `vtrust serve` on a free loopback port and waits
# until it serves. Sets vtrust_pid (the caller's cleanup stops it), and exports
# VTRUST_SERVER and VTRUST_TOKEN; the init reply stays in DIR/init.json. Exits on failure.
start_vtrust() {
  local bin=$1 dir=$2 port
  "$bin" init --data "$dir/data" --kek "file:$dir/kek" --json >"$dir/init.json" 2>"$dir/init.err" ||
    { cat "$dir/init.err" >&2; echo "vtrust init failed" >&2; exit 1; }
  "$bin" serve --data "$dir/data" --listen 127.0.0.1:0 --access-log off 2>"$dir/vtrust.log" &
  vtrust_pid=$!
  for _ in $(seq 1 600); do
    grep -qs "vtrust: serving" "$dir/vtrust.log" && break
    kill -0 "$vtrust_pid" 2>/dev/null || { cat "$dir/vtrust.log" >&2; echo "vtrust serve exited" >&2; exit 1; }
    sleep 0.1
  done
  port=$(sed -n 's/.*vtrust: serving .* on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$dir/vtrust.log" | head -1)
  [ -n "$port" ] || { echo "vtrust did not print its address" >&2; exit 1; }
  VTRUST_SERVER="http://127.0.0.1:$port"
  VTRUST_TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$dir/init.json")
  export VTRUST_SERVER VTRUST_TOKEN
}
