#!/bin/sh
# Regenerates valid/*.py.expected with the CPython 3.13 oracle (tests/oracle/ast_dump.py).
# Run from the repository root: tests/PickleGuard.Python.Tests/Fixtures/regenerate.sh
set -e
PY=${PICKLEGUARD_PYTHON313:-$HOME/.pyenv/versions/3.13.0/bin/python3}
for f in tests/PickleGuard.Python.Tests/Fixtures/valid/*.py; do
  "$PY" tests/oracle/ast_dump.py "$f" > "$f.expected"
done
