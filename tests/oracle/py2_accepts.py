"""Python 2.7 acceptance oracle for PickleGuard's parser tests (runs under python2.7 or 3).

Reads file paths (one per line) on standard input and prints one JSON record per file:
{"path": ..., "accepted": true|false, "message": null|"..."}. A file that Python 3 rejects
but Python 2.7 accepts is Python-2-only: the parser must flag it with Python-2 diagnostics
and still build a tree. The files are read as bytes and handed to the compiler with
PyCF_ONLY_AST: nothing is imported or executed.
"""
import json
import re
import sys
import warnings

_PyCF_ONLY_AST = 0x400
_CODING_COOKIE = re.compile(br"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+", re.MULTILINE)
_UTF8_BOM = b"\xef\xbb\xbf"


def _needs_declaration(source):
    """Python 2 reading a file (PEP 263) rejects non-ASCII bytes without a BOM or cookie;
    compile() on a byte string does not check that, so it is checked here."""
    if source.startswith(_UTF8_BOM):
        return False
    try:
        source.decode("ascii")
        return False
    except UnicodeDecodeError:
        pass
    head = b"\n".join(source.splitlines()[:2])
    return _CODING_COOKIE.search(head) is None


def examine(path):
    with open(path, "rb") as handle:
        source = handle.read()
    if _needs_declaration(source):
        return {"path": path, "accepted": False,
                "message": "Non-ASCII character but no encoding declared (PEP 263)"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, path, "exec", _PyCF_ONLY_AST, True)
    except (SyntaxError, ValueError, TypeError, MemoryError) as error:
        return {"path": path, "accepted": False, "message": str(error)}
    return {"path": path, "accepted": True, "message": None}


def main():
    for line in sys.stdin:
        path = line.rstrip("\r\n")
        if path:
            sys.stdout.write(json.dumps(examine(path)) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
