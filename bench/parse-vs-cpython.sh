#!/usr/bin/env bash
# Whole-process comparison over the CPython standard library (site-packages excluded):
#   A: pickleguard parse <corpus> --format json > /dev/null
#   B: python3 bench/cpython_parse.py <corpus>: ast.parse of the same files, in one process
# Prints the median wall time of each (RUNS runs after one warm-up, alternating A and B) and the
# ratio B/A (how many times faster pickleguard is). Uses hyperfine when it is installed.
# Env: RUNS (default 5), PICKLEGUARD (a built binary), PICKLEGUARD_STDLIB, PYTHON (default python3).
set -euo pipefail
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-5}
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
prepare_corpus
prepare_pickleguard

echo "corpus: $CORPUS_FILES files, $CORPUS_BYTES bytes (copy of the stdlib in $CORPUS)"
echo "pickleguard: $PICKLEGUARD ($PICKLEGUARD_BUILD)"
echo "cpython: $("$PYTHON" -c 'import sys;print(sys.version.split()[0])') ast.parse"
echo "cores: $(nproc); runs: $RUNS after 1 warm-up"

A=("$PICKLEGUARD" parse "$CORPUS" --format json)
B=("$PYTHON" "$ROOT/bench/cpython_parse.py" "$CORPUS")

if command -v hyperfine >/dev/null; then
  json="$ARTIFACTS/parse-vs-cpython.json"
  hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --style basic --export-json "$json" \
    -n pickleguard "${A[*]@Q} > /dev/null" -n cpython "${B[*]@Q} 2>/dev/null" >&2
  read -r a_median b_median < <("$PYTHON" -c '
import json, sys
results = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
print(results["pickleguard"], results["cpython"])' "$json")
else
  a_times=() b_times=()
  wall_seconds "${A[@]}" >/dev/null
  wall_seconds "${B[@]}" >/dev/null
  for ((i = 0; i < RUNS; i++)); do
    a_times+=("$(wall_seconds "${A[@]}")")
    b_times+=("$(wall_seconds "${B[@]}")")
  done
  a_median=$(printf '%s\n' "${a_times[@]}" | median)
  b_median=$(printf '%s\n' "${b_times[@]}" | median)
  echo "pickleguard runs (s): ${a_times[*]}"
  echo "cpython runs (s):     ${b_times[*]}"
fi

awk -v a="$a_median" -v b="$b_median" -v bytes="$CORPUS_BYTES" 'BEGIN {
  printf "median wall: pickleguard %.3f s (%.1f MB/s), cpython %.3f s (%.1f MB/s)\n", a, bytes / 1e6 / a, b, bytes / 1e6 / b
  printf "ratio cpython/pickleguard: %.1fx (target >= 10x)\n", b / a
}'
