#!/usr/bin/env bash
# Writes one JSON report per reference corpus with the binary BIN, as /tmp/r-TAG-CORPUS.json, so that two builds'
# reports can be compared with compare.py (every change to the engine is checked this way: see docs/benchmarks.md).
# Usage: tools/regress/reports.sh BIN TAG
# Corpora missing on this machine are skipped with a note. Severity info: every finding counts.
set -uo pipefail
bin=${1:?binary} tag=${2:?tag}
stdlib=${STDLIB:-/root/.pyenv/versions/3.11.7/lib/python3.11}
declare -A corpora=(
  [stdlib]="$stdlib"
  [django]=/usr/lib/python3/dist-packages/django
  [dist]=/usr/lib/python3/dist-packages
  [site]="$stdlib/site-packages"
  [gcloud]=/usr/lib/google-cloud-sdk
)
run() { # name dir extra-args...
  local name=$1 dir=$2; shift 2
  if [[ ! -d $dir ]]; then echo "$name: $dir missing, skipped"; return; fi
  "$bin" scan "$dir" --format json --severity info -o "/tmp/r-$tag-$name.json" "$@" >/dev/null 2>"/tmp/r-$tag-$name.err"
  echo "$name: exit $? $(jq '.findings | length' "/tmp/r-$tag-$name.json") findings, $(jq '.errors | length' "/tmp/r-$tag-$name.json") errors"
}
for name in stdlib django dist site gcloud; do run "$name" "${corpora[$name]}"; done
run sinkonly "$stdlib" --threat-model none
