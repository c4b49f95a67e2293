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
