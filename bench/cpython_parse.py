"""The CPython side of parse-vs-cpython.sh: ast.parse of every .py file under a directory, in one
process. Files are only parsed into an AST, never compiled to bytecode, imported or run.
Prints the number of files CPython rejected to standard error."""
import ast
import os
import sys
import warnings

warnings.simplefilter("ignore")
rejected = 0
for top, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".py"):
            path = os.path.join(top, name)
            with open(path, "rb") as handle:
                source = handle.read()
            try:
                ast.parse(source, path)
            except (SyntaxError, ValueError, MemoryError, RecursionError):
                rejected += 1
print("cpython rejected %d files" % rejected, file=sys.stderr)
