#!/usr/bin/env bash
# Whole-process comparison over the CPython standard library (site-packages excluded):
#   A: pickleguard parse <corpus> --format json > /dev/null
#   B: python3 bench/cpython_parse.py <corpus>: ast.parse of the same files, in one process
# Runs each once to warm up, then RUNS times in turn (A B A B ...), under GNU time, and prints the
# median wall and CPU (user + sys) seconds of each and the ratios B/A (how many times faster
# pickleguard is). On a shared machine quote the CPU ratio: wall time there depends on the load.
# Env: RUNS (default 5), PICKLEGUARD (a built binary), PICKLEGUARD_STDLIB, PYTHON (default python3).
set -euo pipefail
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-5}
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is needed: apt-get install time"
prepare_corpus
prepare_pickleguard

echo "corpus: $CORPUS_FILES files, $CORPUS_BYTES bytes (copy of the stdlib in $CORPUS)"
echo "pickleguard: $PICKLEGUARD ($PICKLEGUARD_BUILD)"
echo "cpython: $("$PYTHON" -c 'import sys;print(sys.version.split()[0])') ast.parse"
echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg); runs: $RUNS each after 1 warm-up"

A=("$PICKLEGUARD" parse "$CORPUS" --format json)
B=("$PYTHON" "$ROOT/bench/cpython_parse.py" "$CORPUS")

measure "${A[@]}" >/dev/null
measure "${B[@]}" >/dev/null
a_wall=() a_cpu=() b_wall=() b_cpu=()
for ((i = 0; i < RUNS; i++)); do
  read -r wall cpu < <(measure "${A[@]}")
  a_wall+=("$wall") a_cpu+=("$cpu")
  read -r wall cpu < <(measure "${B[@]}")
  b_wall+=("$wall") b_cpu+=("$cpu")
done
echo "pickleguard wall s: ${a_wall[*]}; cpu s: ${a_cpu[*]}"
echo "cpython     wall s: ${b_wall[*]}; cpu s: ${b_cpu[*]}"
aw=$(printf '%s\n' "${a_wall[@]}" | median) ac=$(printf '%s\n' "${a_cpu[@]}" | median)
bw=$(printf '%s\n' "${b_wall[@]}" | median) bc=$(printf '%s\n' "${b_cpu[@]}" | median)
awk -v aw="$aw" -v ac="$ac" -v bw="$bw" -v bc="$bc" -v bytes="$CORPUS_BYTES" 'BEGIN {
  printf "median wall: pickleguard %.3f s (%.1f MB/s), cpython %.3f s (%.1f MB/s)\n", aw, bytes / 1e6 / aw, bw, bytes / 1e6 / bw
  printf "median cpu:  pickleguard %.3f s, cpython %.3f s\n", ac, bc
  printf "ratio cpython/pickleguard: wall %.1fx, cpu %.1fx (target >= 10x)\n", bw / aw, bc / ac
}'
