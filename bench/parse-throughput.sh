#!/usr/bin/env bash
# Whole-process throughput and peak memory of `pickleguard parse` over the CPython standard library
# (site-packages excluded): MB/s = corpus bytes / wall time, MB per CPU-second (user + sys; the
# figure to quote on a loaded machine), peak RSS; all from GNU time (/usr/bin/time -v).
# One warm-up, then RUNS measured runs (default 3); prints each run and the median.
# Env: RUNS, PICKLEGUARD (a built binary), PICKLEGUARD_STDLIB.
set -euo pipefail
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-3}
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed for the peak memory: apt-get install time"
prepare_corpus
prepare_pickleguard

echo "corpus: $CORPUS_FILES files, $CORPUS_BYTES bytes (copy of the stdlib in $CORPUS)"
echo "pickleguard: $PICKLEGUARD ($PICKLEGUARD_BUILD); cores: $(nproc)"
"$PICKLEGUARD" parse "$CORPUS" --format json >/dev/null 2>&1 || true

walls=() cpus=() rss=()
for ((i = 0; i < RUNS; i++)); do
  log="$ARTIFACTS/parse-throughput.time.$i"
  /usr/bin/time -v -o "$log" "$PICKLEGUARD" parse "$CORPUS" --format json >/dev/null 2>&1 || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  walls+=("$wall") cpus+=("$cpu") rss+=("$kb")
  awk -v w="$wall" -v c="$cpu" -v kb="$kb" -v bytes="$CORPUS_BYTES" 'BEGIN {
    printf "run: %.2f s wall (%.1f MB/s), %.2f s cpu (%.1f MB per cpu-second), peak RSS %.0f MB\n", w, bytes / 1e6 / w, c, bytes / 1e6 / c, kb / 1024 }'
done
wall=$(printf '%s\n' "${walls[@]}" | median)
cpu=$(printf '%s\n' "${cpus[@]}" | median)
kb=$(printf '%s\n' "${rss[@]}" | median)
awk -v w="$wall" -v c="$cpu" -v kb="$kb" -v bytes="$CORPUS_BYTES" 'BEGIN {
  printf "median: %.2f s wall (%.1f MB/s), %.2f s cpu (%.1f MB per cpu-second), peak RSS %.0f MB\n", w, bytes / 1e6 / w, c, bytes / 1e6 / c, kb / 1024
  print "(the single-threaded parse target, >= 40 MB/s, is measured in-process: the Parse row of bench/PickleGuard.Benchmarks)" }'
