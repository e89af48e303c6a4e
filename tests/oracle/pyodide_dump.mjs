#!/usr/bin/env node
// Oracle for Python 3.14 syntax (t-strings, PEP 750; `except A, B:`, PEP 758): runs
// tests/oracle/ast_dump.py inside Pyodide (CPython 3.14 compiled to WebAssembly) and prints
// one JSON-lines record per file, exactly like `ast_dump.py --jsonl`.
//
// Usage: node pyodide_dump.mjs [--version] FILE...
//        node pyodide_dump.mjs --stdin            (paths, one per line, on standard input)
//        node pyodide_dump.mjs --snapshot FILE... (writes FILE.expected: the dump, or
//                                                  "rejected: LINE:COL: MESSAGE"; the committed
//                                                  snapshots of tests/PickleGuard.Python.Tests/Oracle/py314)
//
// Install with `npm ci` in tests/oracle. Pyodide loads from node_modules/pyodide alone
// (pyodide.asm.wasm + python_stdlib.zip); `ast` is in that stdlib, so no package and no
// network access is needed. The scanned files are copied as bytes into Pyodide's in-memory
// file system and handed to `ast.parse`: never imported or executed.
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const args = process.argv.slice(2);
const paths = [];
let printVersion = false;
let fromStdin = false;
let snapshot = false;
for (const arg of args) {
  if (arg === "--version") printVersion = true;
  else if (arg === "--snapshot") snapshot = true;
  else if (arg === "--stdin") fromStdin = true;
  else paths.push(arg);
}
if (fromStdin) {
  for (const line of readFileSync(0, "utf8").split(/\r?\n/)) {
    if (line.trim() !== "") paths.push(line);
  }
}
if (!printVersion && paths.length === 0) {
  process.stderr.write("usage: node pyodide_dump.mjs [--version] [--snapshot] (--stdin | FILE...)\n");
  process.exit(2);
}

// Pyodide prints its own banner lines to stdout; keep stdout for the records only.
const pyodide = await loadPyodide({ stdout: (s) => process.stderr.write(s + "\n") });
pyodide.FS.mkdirTree("/oracle/input");
pyodide.FS.writeFile("/oracle/ast_dump.py", readFileSync(new URL("./ast_dump.py", import.meta.url)));
pyodide.runPython("import sys; sys.path.insert(0, '/oracle'); sys.setrecursionlimit(20000)");
const examine = pyodide.runPython(
  "import json, ast_dump\n" +
    "def _record(scratch, original):\n" +
    "    record = ast_dump.examine(scratch)\n" +
    "    record['path'] = original\n" +
    "    return json.dumps(record, ensure_ascii=True)\n" +
    "_record",
);

if (printVersion) {
  process.stdout.write(pyodide.runPython("import sys; sys.version") + "\n");
}
const out = [];
for (const [index, path] of paths.entries()) {
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const record = { path, accepted: false, error: { type: "OSError", line: null, col: null, message: String(error.message) }, dump: null };
    out.push(JSON.stringify(record));
    continue;
  }
  // The record's error messages name the file; a scratch name keeps them stable.
  const scratch = `/oracle/input/f${index}.py`;
  pyodide.FS.writeFile(scratch, bytes);
  out.push(examine(scratch, path));
  pyodide.FS.unlink(scratch);
}
if (snapshot) {
  for (const line of out) {
    const record = JSON.parse(line);
    const error = record.error;
    const text = record.accepted ? record.dump : `rejected: ${error.line ?? "None"}:${error.col ?? "None"}: ${error.message}`;
    writeFileSync(`${record.path}.expected`, text + "\n");
  }
} else if (out.length > 0) {
  process.stdout.write(out.join("\n") + "\n");
}
examine.destroy();
