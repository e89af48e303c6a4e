#!/usr/bin/env bash
# Whole-process comparison of a full scan of the CPython standard library (site-packages excluded):
#   pickleguard: pickleguard scan STDLIB --format json --severity info -o REPORT   (NativeAOT binary, run directly)
#   sink-only:   the same with --threat-model none                                 (the taint engine off)
#   ruff-wasm:   node bench/ruff/check.mjs STDLIB             (@astral-sh/ruff-wasm-nodejs, S301,S302,S403,S506)
#   bandit:      bandit -t B301,B302,B403,B506 -r STDLIB -x SKIPPED -f json -q
# All three see pickleguard's default file set: its skipped directories (site-packages, venv, build, ...)
# are skipped by the Ruff driver and passed to Bandit with -x. Bandit only takes *.py and *.pyw when
# walking a directory, so it sees the .pyi stub and the extensionless python script less; the file counts
# are printed.
#
# First the finding counts of each tool (pickleguard per rule and severity with --severity info, Ruff per
# rule, Bandit per test id), then the timings with hyperfine: a warm-up and RUNS runs each for pickleguard
# and Ruff, BANDIT_RUNS runs for Bandit (slow). Prints median wall seconds, mean CPU (user + sys) seconds
# and the ratios ruff/pickleguard (target >= 10x) and bandit/pickleguard (target >= 100x). On a shared
# machine compare the CPU ratios too: wall time there depends on the load.
#
# The shipped binary is the NativeAOT one (`dotnet publish src/PickleGuard.Cli -c Release -r RID`), published
# into artifacts/bench/scan-aot; BUILD=jit times the framework-dependent `dotnet build` output instead (start-up
# JIT included), and PICKLEGUARD=path times a binary you built yourself. The sink-only row is the same binary
# with `--threat-model none` (the taint engine off), so the ratio of the two rows is what the taint engine costs.
#
# Env: STDLIB (default: python3's stdlib), RUNS (5), BANDIT_RUNS (3), BUILD (aot | jit), PICKLEGUARD, SKIP_BANDIT=1.
# Needs: dotnet, node + npm, hyperfine (apt-get install -y hyperfine), bandit (apt-get install -y bandit),
# jq (apt-get install -y jq).
set -euo pipefail
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-5}
BANDIT_RUNS=${BANDIT_RUNS:-3}
RUFF_DIR="$ROOT/bench/ruff"
OUT="$ARTIFACTS/scan-vs-ruff-bandit"
mkdir -p "$OUT"

need() { command -v "$1" >/dev/null || die "$1 not found; install it with: $2"; }
need dotnet "https://dotnet.microsoft.com/download (the SDK in global.json)"
need node "apt-get install -y nodejs npm"
need npm "apt-get install -y npm"
need hyperfine "apt-get update && apt-get install -y hyperfine"
need jq "apt-get update && apt-get install -y jq"
if [[ "${SKIP_BANDIT:-0}" != 1 ]] && ! command -v bandit >/dev/null; then
  echo "bandit not found: install it with 'apt-get update && apt-get install -y bandit' (or set SKIP_BANDIT=1); skipping Bandit" >&2
  SKIP_BANDIT=1
fi

STDLIB=${STDLIB:-${PICKLEGUARD_STDLIB:-}}
if [[ -z "$STDLIB" ]]; then
  need python3 "apt-get install -y python3 (or set STDLIB to the directory to scan)"
  STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
fi
[[ -d "$STDLIB" ]] || die "no directory at $STDLIB"

# pickleguard, built once; the binary is run directly (no `dotnet run`).
BUILD=${BUILD:-aot}
if [[ -n "${PICKLEGUARD:-}" ]]; then
  BUILD_NOTE="given by \$PICKLEGUARD"
elif [[ "$BUILD" == jit ]]; then
  echo "building pickleguard (Release, JIT) ..." >&2
  dotnet build "$ROOT/src/PickleGuard.Cli" -c Release >"$OUT/build.log" 2>&1 ||
    die "could not build src/PickleGuard.Cli: see $OUT/build.log"
  PICKLEGUARD="$ROOT/src/PickleGuard.Cli/bin/Release/net10.0/pickleguard"
  BUILD_NOTE="dotnet build -c Release (JIT)"
else
  rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)
  echo "publishing pickleguard (Release, NativeAOT, $rid) ..." >&2
  dotnet publish "$ROOT/src/PickleGuard.Cli" -c Release -r "$rid" -o "$ARTIFACTS/scan-aot" >"$OUT/publish.log" 2>&1 ||
    die "could not publish src/PickleGuard.Cli with NativeAOT: see $OUT/publish.log (BUILD=jit times the JIT build)"
  PICKLEGUARD="$ARTIFACTS/scan-aot/pickleguard"
  BUILD_NOTE="dotnet publish -c Release -r $rid (NativeAOT)"
fi
[[ -x "$PICKLEGUARD" ]] || die "no pickleguard executable at $PICKLEGUARD"
"$PICKLEGUARD" scan --help | grep -q -- --threat-model ||
  die "$PICKLEGUARD scan has no --threat-model option: the sink-only row needs it"

if [[ ! -d "$RUFF_DIR/node_modules/@astral-sh/ruff-wasm-nodejs" ]]; then
  echo "installing the pinned Ruff WebAssembly build (npm ci in bench/ruff) ..." >&2
  (cd "$RUFF_DIR" && npm ci --no-audit --no-fund >"$OUT/npm.log" 2>&1) || die "npm ci failed: see $OUT/npm.log"
fi

# Bandit's -x: every directory pickleguard's discovery skips, found under STDLIB (the names of docs/cli.md).
SKIPPED_NAMES=(.git .hg .svn .venv venv site-packages node_modules __pycache__ build dist .tox .nox
  .mypy_cache .pytest_cache .ruff_cache __pypackages__)
find_args=()
for name in "${SKIPPED_NAMES[@]}"; do find_args+=(-name "$name" -o); done
unset 'find_args[${#find_args[@]}-1]'
BANDIT_EXCLUDES=$(find "$STDLIB" -mindepth 1 -type d \( "${find_args[@]}" \) -prune -print | paste -sd, -)

# The timed runs also write the reports the finding counts are read from (the last run's): pickleguard
# at --severity info (every finding is computed at any threshold; this only changes what is written).
PG_CMD=("$PICKLEGUARD" scan "$STDLIB" --format json --severity info -o "$OUT/pickleguard.json")
RUFF_CMD=(node "$RUFF_DIR/check.mjs" "$STDLIB")
BANDIT_CMD=(bandit -t B301,B302,B403,B506 -r "$STDLIB" -f json -q -o "$OUT/bandit.json")
[[ -n "$BANDIT_EXCLUDES" ]] && BANDIT_CMD+=(-x "$BANDIT_EXCLUDES")

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $STDLIB"
echo "pickleguard $("$PICKLEGUARD" --version) ($PICKLEGUARD, $BUILD_NOTE); dotnet $(dotnet --version)"
echo "ruff-wasm $(node -e 'console.log(require(process.argv[1]).version)' "$RUFF_DIR/node_modules/@astral-sh/ruff-wasm-nodejs/package.json"); node $(node --version)"
[[ "${SKIP_BANDIT:-0}" == 1 ]] || echo "$(bandit --version 2>&1 | head -n 1); $(bandit --version 2>&1 | sed -n 's/^ *python version = \([^ ]*\).*/python \1/p')"
echo "hyperfine: $(hyperfine --version)"

echo
echo "== timings =="
# "median_wall mean_cpu" of hyperfine's JSON export (cpu = user + system).
figures() { jq -r '.results[0] | "\(.median) \(.user + .system)"' "$1"; }
time_it() { # NAME RUNS WARMUP COMMAND... -> prints "median_wall mean_cpu"
  local name=$1 runs=$2 warmup=$3
  shift 3
  hyperfine -N -i --style basic --runs "$runs" --warmup "$warmup" --export-json "$OUT/$name.times.json" \
    -n "$name" -- "$(printf '%q ' "$@")" >&2
  figures "$OUT/$name.times.json"
}
read -r pg_wall pg_cpu < <(time_it pickleguard "$RUNS" 1 "${PG_CMD[@]}")
read -r ruff_wall ruff_cpu < <(time_it ruff-wasm "$RUNS" 1 "${RUFF_CMD[@]}")
read -r so_wall so_cpu < <(time_it pickleguard-sink-only "$RUNS" 1 \
  "$PICKLEGUARD" scan "$STDLIB" --threat-model none --format json --severity info -o "$OUT/pickleguard-sink-only.json")
if [[ "${SKIP_BANDIT:-0}" != 1 ]]; then
  read -r bandit_wall bandit_cpu < <(time_it bandit "$BANDIT_RUNS" 0 "${BANDIT_CMD[@]}")
fi

echo
echo "== findings on the corpus (from the last timed run of each) =="
echo "pickleguard (--severity info), rule severity count:"
jq -r '.findings | group_by(.rule + " " + .severity) | .[] | "  \(.[0].rule) \(.[0].severity) \(length)"' "$OUT/pickleguard.json"
jq -r '"  total \(.findings | length); input errors and notes: \(.errors | length)"' "$OUT/pickleguard.json"
echo "pickleguard --threat-model none (--severity info), rule severity count:"
jq -r '.findings | group_by(.rule + " " + .severity) | .[] | "  \(.[0].rule) \(.[0].severity) \(length)"' "$OUT/pickleguard-sink-only.json"
echo "ruff-wasm:"
"${RUFF_CMD[@]}" | sed 's/^/  /'
if [[ "${SKIP_BANDIT:-0}" != 1 ]]; then
  echo "bandit:"
  jq -r '"  \(.metrics | keys | map(select(. != "_totals")) | length) files"' "$OUT/bandit.json"
  jq -r '.results | group_by(.test_id) | .[] | "  \(.[0].test_id) \(.[0].test_name): \(length)"' "$OUT/bandit.json"
  jq -r '"  errors (files it could not parse): \(.errors | length)"' "$OUT/bandit.json"
fi

echo
echo "== results =="
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
report() { awk -v n="$1" -v w="$2" -v c="$3" 'BEGIN { printf "%-24s median wall %8.3f s   mean cpu %8.3f s\n", n, w, c }'; }
ratio() { awk -v n="$1" -v aw="$2" -v ac="$3" -v bw="$4" -v bc="$5" -v t="$6" \
  'BEGIN { printf "ratio %-34s wall %7.1fx   cpu %7.1fx%s\n", n, aw / bw, ac / bc, t == "" ? "" : "   (target >= " t "x)" }'; }
report pickleguard "$pg_wall" "$pg_cpu"
report ruff-wasm "$ruff_wall" "$ruff_cpu"
report "pickleguard sink-only" "$so_wall" "$so_cpu"
[[ "${SKIP_BANDIT:-0}" == 1 ]] || report bandit "$bandit_wall" "$bandit_cpu"
ratio "ruff-wasm/pickleguard" "$ruff_wall" "$ruff_cpu" "$pg_wall" "$pg_cpu" 10
[[ "${SKIP_BANDIT:-0}" == 1 ]] || ratio "bandit/pickleguard" "$bandit_wall" "$bandit_cpu" "$pg_wall" "$pg_cpu" 100
ratio "ruff-wasm/pickleguard sink-only" "$ruff_wall" "$ruff_cpu" "$so_wall" "$so_cpu" 10
[[ "${SKIP_BANDIT:-0}" == 1 ]] || ratio "bandit/pickleguard sink-only" "$bandit_wall" "$bandit_cpu" "$so_wall" "$so_cpu" 100
ratio "pickleguard/pickleguard sink-only" "$pg_wall" "$pg_cpu" "$so_wall" "$so_cpu" ""
echo "(the last ratio is what the taint engine costs: target <= 2x)"
echo "hyperfine exports and reports: $OUT"
