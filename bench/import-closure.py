#!/usr/bin/env python3
"""How much of a source tree a per-file prefilter would still have to parse (docs/benchmarks.md, seventh session).

A file can only matter to a scan if it names a deserialization module ("trigger" files), imports one transitively
(its calls may reach a re-exported sink) or is imported by one (its constants and callees feed step 2 and the taint
summaries). Prints the count and share of bytes of each closure over the tree's import graph, read with CPython's ast.

    python3 bench/import-closure.py /root/.pyenv/versions/3.11.7/lib/python3.11
"""
import ast
import os
import re
import sys

TRIGGER = re.compile(r"\b(pickle|cPickle|_pickle|marshal|shelve|yaml|dill|cloudpickle|joblib|torch|numpy|pandas"
                     r"|jsonpickle|keras|zmq|multiprocessing|ruamel|mlflow|Unpickler)\b")
SKIPPED = {"site-packages", "venv", ".git", "node_modules", "__pycache__"}


def module_name(path):
    name = path[:-3].replace(os.sep, ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def imported_modules(tree, name, is_package):
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bases = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = package
                for _ in range(node.level - 1):
                    prefix = prefix.rpartition(".")[0]
                base = f"{prefix}.{base}" if base else prefix
            bases = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for base in bases:
            parts = base.split(".")
            found.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return found


def closure(start, edges):
    seen, pending = set(start), list(start)
    while pending:
        for other in edges[pending.pop()]:
            if other not in seen:
                seen.add(other)
                pending.append(other)
    return seen


def main(root):
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        files += [os.path.relpath(os.path.join(folder, n), root) for n in sorted(names) if n.endswith(".py")]
    by_module = {module_name(f): f for f in files}
    size = {f: os.path.getsize(os.path.join(root, f)) for f in files}
    imports, importers, triggers = {}, {f: set() for f in files}, set()
    for f in files:
        with open(os.path.join(root, f), "rb") as source:
            data = source.read()
        if TRIGGER.search(data.decode("latin-1")):
            triggers.add(f)
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError):
            tree = ast.Module(body=[], type_ignores=[])
        names = imported_modules(tree, module_name(f), f.endswith("__init__.py"))
        imports[f] = {by_module[m] for m in names if m in by_module}
        for other in imports[f]:
            importers[other].add(f)
    total = sum(size.values())
    upward = closure(triggers, importers)
    for label, chosen in [("trigger files", triggers), ("trigger files and what they import", closure(triggers, imports)),
                          ("files importing a trigger file", upward), ("those and what they import", closure(upward, imports))]:
        print(f"{label}: {len(chosen)} of {len(files)} files, {100 * sum(size[f] for f in chosen) / total:.0f} % of the bytes")


if __name__ == "__main__":
    main(sys.argv[1])
