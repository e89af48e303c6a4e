#!/usr/bin/env bash
# Scans each project directory with BIN and writes /tmp/r-TAG-p-NAME.json (NAME = the directory's name), for
# compare.py TAG_A TAG_B 'p-*'. Usage: tools/regress/projects.sh BIN TAG DIR...   (or DIRs one per line on stdin)
set -uo pipefail
bin=${1:?binary} tag=${2:?tag}; shift 2
dirs=("$@")
if [[ ${#dirs[@]} -eq 0 ]]; then mapfile -t dirs; fi
for dir in "${dirs[@]}"; do
  name=$(basename "${dir%/}")
  "$bin" scan "$dir" --format json --severity info -o "/tmp/r-$tag-p-$name.json" >/dev/null 2>"/tmp/r-$tag-p-$name.err"
  status=$?
  if [[ $status -gt 1 ]]; then echo "$name: exit $status (see /tmp/r-$tag-p-$name.err)"; fi
done
