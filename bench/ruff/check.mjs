// Runs Ruff's WebAssembly build (@astral-sh/ruff-wasm-nodejs, pinned in package.json) over a directory with
// only the deserialization rules selected, and prints the number of diagnostics per rule.
//
//   node bench/ruff/check.mjs DIR [--list | --diagnostics]
//
// The file set is pickleguard's default discovery of Python sources (docs/cli.md, "File discovery"):
// .py, .pyw and .pyi files, plus extensionless files whose first line is a `#!` line naming python; the
// same default directories are skipped and directory symlinks are not followed. Not replicated: .gitignore
// handling (the CPython stdlib has no .gitignore) and notebooks. `--list` prints the files instead;
// `--diagnostics` also prints each diagnostic of the four rules as `path:row:column CODE`.
import { readdirSync, readFileSync, openSync, readSync, closeSync } from "node:fs";
import { join, extname } from "node:path";
import { Workspace, PositionEncoding } from "@astral-sh/ruff-wasm-nodejs";

const SKIPPED_DIRECTORIES = new Set([
  ".git", ".hg", ".svn", ".venv", "venv", "site-packages", "node_modules", "__pycache__", "build", "dist",
  ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "__pypackages__",
]);
const PYTHON_EXTENSIONS = new Set([".py", ".pyw", ".pyi"]);

// Ruff's codes for the rules of the issue. With preview on, the WebAssembly build reports a diagnostic's
// rule by name rather than by code, so both spellings map to the code.
const RULES = {
  S301: "suspicious-pickle-usage",
  S302: "suspicious-marshal-usage",
  S403: "suspicious-pickle-import",
  S506: "unsafe-yaml-load",
};
const CODE_OF = new Map(Object.entries(RULES).flatMap(([code, name]) => [[code, code], [name, code]]));

function hasPythonShebang(path) {
  const buffer = Buffer.alloc(128);
  let fd;
  try {
    fd = openSync(path, "r");
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const firstLine = buffer.subarray(0, read).toString("latin1").split("\n", 1)[0];
    return firstLine.startsWith("#!") && firstLine.includes("python");
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function discover(directory, files) {
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) discover(path, files);
    } else if (entry.isFile()) {
      const extension = extname(entry.name);
      if (PYTHON_EXTENSIONS.has(extension) || (extension === "" && hasPythonShebang(path))) files.push(path);
    }
  }
  return files;
}

const [root, flag] = process.argv.slice(2);
if (!root) {
  console.error("usage: node check.mjs DIR [--list | --diagnostics]");
  process.exit(2);
}
const files = discover(root, []);
if (flag === "--list") {
  for (const file of files) console.log(file);
  process.exit(0);
}

// preview: S403 (suspicious-pickle-import) is a preview rule and reports nothing without it.
const workspace = new Workspace({ preview: true, lint: { select: Object.keys(RULES) } }, PositionEncoding.Utf16);
const counts = Object.fromEntries(Object.keys(RULES).map((code) => [code, 0]));
let syntaxErrors = 0;
let other = 0;
let unreadable = 0;
for (const file of files) {
  let contents;
  try {
    // Ruff reads sources as UTF-8; invalid bytes become U+FFFD, as with a lossy read.
    contents = readFileSync(file, "utf8");
  } catch {
    unreadable++;
    continue;
  }
  for (const diagnostic of workspace.check(contents)) {
    const code = CODE_OF.get(diagnostic.code ?? "");
    if (code) {
      counts[code]++;
      if (flag === "--diagnostics") console.log(`${file}:${diagnostic.start_location.row}:${diagnostic.start_location.column} ${code}`);
    }
    else if (diagnostic.code === "invalid-syntax" || diagnostic.code === null) syntaxErrors++;
    else other++;
  }
}
console.log(`ruff-wasm ${Workspace.version()}: ${files.length} files`);
for (const [code, count] of Object.entries(counts)) console.log(`${code} ${RULES[code]}: ${count}`);
console.log(`syntax-error diagnostics: ${syntaxErrors}${other ? `, other: ${other}` : ""}${unreadable ? `, unreadable files: ${unreadable}` : ""}`);
