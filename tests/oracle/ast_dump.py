#!/usr/bin/env python3
"""Oracle for PickleGuard's differential parser tests.

Prints CPython's `ast` of Python source files in the normalized dump format of
docs/ast-dump-format.md. The scanned files are only read as bytes and handed to
`ast.parse`: they are never imported, compiled to bytecode or executed.

Usage:
  ast_dump.py FILE...                 one dump line per file (or "error: ..." when rejected)
  ast_dump.py --jsonl [options] FILE...
  ast_dump.py --jsonl [options] --stdin   (paths, one per line, on standard input)

JSON-lines mode prints one record per file, in input order:
  {"path": ..., "accepted": true|false, "error": null|{"type", "line", "col", "message"},
   "dump": "<dump>"|null}
Options: --no-dump (acceptance only, faster), --jobs N (worker processes; default 1).

Run it with CPython 3.13 for dumps that match the contract (3.13 `_fields` and the
PEP 701 f-string positions); older versions still answer the acceptance question.
"""

import ast
import json
import struct
import sys
import warnings

# Node classes whose instances carry a position (lineno etc. in `_attributes`), and
# each class's `_fields`, computed once: attribute lookups dominate the dump's cost.
_CLASS_INFO = {}

_dumps_str = json.JSONEncoder(ensure_ascii=True).encode


def _class_info(cls):
    info = _CLASS_INFO.get(cls)
    if info is None:
        info = (cls.__name__, tuple(cls._fields), "lineno" in cls._attributes)
        _CLASS_INFO[cls] = info
    return info


def _float_bits(value):
    return struct.pack(">d", value).hex()


def _constant(value):
    # bool before int: bool is a subclass of int.
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if value is Ellipsis:
        return "Ellipsis"
    kind = type(value)
    if kind is int:
        return "int:%d" % value
    if kind is float:
        return "float:" + _float_bits(value)
    if kind is complex:
        return "complex:" + _float_bits(value.real) + "/" + _float_bits(value.imag)
    if kind is str:
        return "str:" + _dumps_str(value)
    if kind is bytes:
        return "bytes:" + value.hex()
    raise TypeError("unexpected constant type %r" % kind)


def _pos(value):
    return "None" if value is None else str(value)


def _dump_node(node, out):
    name, fields, has_position = _class_info(type(node))
    out.append(name)
    out.append("(")
    first = True
    for field in fields:
        if first:
            first = False
        else:
            out.append(", ")
        out.append(field)
        out.append("=")
        value = getattr(node, field, None)
        if field == "value" and (name == "Constant" or name == "MatchSingleton"):
            out.append(_constant(value))
        else:
            _dump_value(value, out)
    out.append(")")
    if has_position:
        out.append("@%s:%s-%s:%s" % (
            _pos(getattr(node, "lineno", None)),
            _pos(getattr(node, "col_offset", None)),
            _pos(getattr(node, "end_lineno", None)),
            _pos(getattr(node, "end_col_offset", None)),
        ))


def _dump_value(value, out):
    if isinstance(value, ast.AST):
        _dump_node(value, out)
    elif isinstance(value, list):
        out.append("[")
        first = True
        for item in value:
            if first:
                first = False
            else:
                out.append(", ")
            _dump_value(item, out)
        out.append("]")
    elif value is None:
        out.append("None")
    elif type(value) is int:
        out.append(str(value))
    elif type(value) is str:
        out.append(_dumps_str(value))
    else:
        raise TypeError("unexpected field value type %r" % type(value))


def dump(tree):
    """The normalized dump of an `ast` tree (one line)."""
    out = []
    _dump_node(tree, out)
    return "".join(out)


def examine(path, with_dump=True):
    """Parses one file and returns its JSON-lines record as a dict."""
    record = {"path": path, "accepted": False, "error": None, "dump": None}
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as error:
        record["error"] = {"type": "OSError", "line": None, "col": None, "message": str(error)}
        return record
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        record["error"] = {
            "type": type(error).__name__,
            "line": error.lineno,
            "col": error.offset,
            "message": str(error.msg),
        }
        return record
    except (ValueError, MemoryError, RecursionError, UnicodeError) as error:
        record["error"] = {"type": type(error).__name__, "line": None, "col": None,
                           "message": str(error)}
        return record
    record["accepted"] = True
    if with_dump:
        try:
            record["dump"] = dump(tree)
        except RecursionError:
            record["error"] = {"type": "RecursionError", "line": None, "col": None,
                               "message": "tree too deep for the dump"}
    return record


def _examine_with_dump(path):
    return json.dumps(examine(path, True), ensure_ascii=True)


def _examine_without_dump(path):
    return json.dumps(examine(path, False), ensure_ascii=True)


def _main(argv):
    jsonl = False
    with_dump = True
    jobs = 1
    from_stdin = False
    paths = []
    args = iter(argv)
    for arg in args:
        if arg == "--jsonl":
            jsonl = True
        elif arg == "--no-dump":
            with_dump = False
        elif arg == "--stdin":
            from_stdin = True
        elif arg == "--jobs":
            jobs = max(1, int(next(args)))
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            paths.append(arg)
    if from_stdin:
        paths.extend(line.rstrip("\r\n") for line in sys.stdin if line.strip())
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2

    if not jsonl:
        failed = False
        for path in paths:
            record = examine(path, True)
            if record["accepted"]:
                print(record["dump"])
            else:
                failed = True
                error = record["error"]
                print("error: %s:%s:%s: %s: %s" % (path, error["line"], error["col"],
                                                  error["type"], error["message"]))
        return 1 if failed else 0

    work = _examine_with_dump if with_dump else _examine_without_dump
    out = sys.stdout
    if jobs == 1:
        for path in paths:
            out.write(work(path))
            out.write("\n")
    else:
        import multiprocessing

        with multiprocessing.Pool(jobs) as pool:
            for line in pool.imap(work, paths, chunksize=4):
                out.write(line)
                out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.setrecursionlimit(20000)
    sys.exit(_main(sys.argv[1:]))
