# Shared by parse-vs-cpython.sh and parse-throughput.sh (sourced, not run).
# Sets ROOT, CORPUS (a copy of the stdlib's .py files, site-packages excluded), CORPUS_BYTES,
# CORPUS_FILES and PICKLEGUARD (a built `pickleguard` whose `parse` command exists), or exits.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARTIFACTS="$ROOT/artifacts/bench"
mkdir -p "$ARTIFACTS"

die() { echo "error: $*" >&2; exit 2; }

# The corpus: CPython's stdlib .py files copied once into artifacts/ so that both sides read
# exactly the same files (the stdlib directory also holds site-packages).
prepare_corpus() {
  local stdlib="${PICKLEGUARD_STDLIB:-}"
  if [[ -z "$stdlib" ]]; then
    command -v python3 >/dev/null || die "python3 not found and PICKLEGUARD_STDLIB not set"
    stdlib=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
  fi
  [[ -d "$stdlib" ]] || die "no stdlib directory at $stdlib"
  CORPUS="$ARTIFACTS/stdlib-corpus"
  local stamp="$ARTIFACTS/stdlib-corpus.source"
  if [[ ! -d "$CORPUS" || "$(cat "$stamp" 2>/dev/null)" != "$stdlib" ]]; then
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    (cd "$stdlib" && find . -name site-packages -prune -o -name '*.py' -type f -print0 |
      xargs -0 cp --parents -t "$CORPUS")
    echo "$stdlib" > "$stamp"
  fi
  CORPUS_FILES=$(find "$CORPUS" -name '*.py' -type f | wc -l)
  CORPUS_BYTES=$(find "$CORPUS" -name '*.py' -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
}

# The CLI: $PICKLEGUARD if set, else published from src/PickleGuard.Cli (NativeAOT when the
# toolchain allows, else framework-dependent) into artifacts/bench/cli.
prepare_pickleguard() {
  if [[ -z "${PICKLEGUARD:-}" ]]; then
    local out="$ARTIFACTS/cli"
    PICKLEGUARD="$out/pickleguard"
    echo "building pickleguard (Release) into $out ..." >&2
    if dotnet publish "$ROOT/src/PickleGuard.Cli" -c Release -o "$out" >"$ARTIFACTS/publish.log" 2>&1; then
      PICKLEGUARD_BUILD="NativeAOT publish"
    elif dotnet publish "$ROOT/src/PickleGuard.Cli" -c Release -p:PublishAot=false -o "$out" >>"$ARTIFACTS/publish.log" 2>&1; then
      PICKLEGUARD_BUILD="framework-dependent publish (NativeAOT publish failed: see $ARTIFACTS/publish.log)"
    else
      die "could not build src/PickleGuard.Cli: see $ARTIFACTS/publish.log"
    fi
  else
    PICKLEGUARD_BUILD="given by \$PICKLEGUARD"
  fi
  [[ -x "$PICKLEGUARD" ]] || die "no pickleguard executable at $PICKLEGUARD"
  # No fake numbers: without a working parse command there is nothing to measure. It must print
  # JSON for a one-line file (a skeleton CLI that ignores its arguments prints nothing).
  local probe="$ARTIFACTS/probe.py" out
  printf 'import pickle\n' > "$probe"
  out=$("$PICKLEGUARD" parse "$probe" --format json 2>/dev/null || true)
  if [[ ! "$out" =~ ^[[:space:]]*[\{\[] ]]; then
    die "'$PICKLEGUARD parse FILE --format json' printed no JSON: the parse command does not exist yet (it comes from the CLI, branch cli); nothing measured"
  fi
}

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# "WALL CPU" seconds of one run of "$@" (its output discarded; CPU = user + sys, children included).
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -f '%e %U %S' -o "$log" "$@" >/dev/null 2>&1 || true
  # GNU time puts "Command exited with non-zero status N" before the figures (parse exits 1
  # when a file has a syntax error, and the stdlib has some).
  tail -n 1 "$log" | awk '{printf "%.3f %.3f\n", $1, $2 + $3}'
  rm -f "$log"
}
