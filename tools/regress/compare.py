#!/usr/bin/env python3
"""Compares the reports reports.sh wrote for two tags, corpus by corpus.

Usage: tools/regress/compare.py TAG_A TAG_B [CORPUS...]   (a CORPUS may be a glob: 'p-*' for projects.sh's reports)
A finding is keyed by rule, path, line and column; for each corpus it prints `same` or every finding added, removed,
or changed in severity, message or trace (the trace's length and steps), and a change in the errors."""
import glob
import json
import os
import sys

CORPORA = ["stdlib", "sinkonly", "django", "dist", "site", "gcloud"]


def load(tag, corpus):
    path = f"/tmp/r-{tag}-{corpus}.json"
    if not os.path.exists(path):
        return None
    with open(path) as f:
        report = json.load(f)
    findings = {}
    for finding in report["findings"]:
        key = (finding["rule"], finding["path"], finding["line"], finding["column"])
        findings.setdefault(key, []).append(finding)
    return findings, report.get("errors", [])


def describe(finding):
    trace = finding.get("trace") or []
    return f'{finding["severity"]} "{finding["message"]}" trace {len(trace)} steps'


def compare(corpus, a, b):
    (fa, ea), (fb, eb) = a, b
    lines = []
    for key in sorted(set(fa) | set(fb), key=str):
        left, right = fa.get(key, []), fb.get(key, [])
        where = f"{key[1]}:{key[2]}:{key[3]} {key[0]}"
        if not right:
            lines += [f"  - {where} {describe(x)}" for x in left]
        elif not left:
            lines += [f"  + {where} {describe(x)}" for x in right]
        elif left != right:
            for x, y in zip(left, right):
                if x != y:
                    lines.append(f"  ~ {where} {describe(x)} -> {describe(y)}")
            if len(left) != len(right):
                lines.append(f"  ~ {where} {len(left)} findings -> {len(right)}")
    if len(ea) != len(eb) or ea != eb:
        lines.append(f"  errors {len(ea)} -> {len(eb)}")
    count_a, count_b = sum(map(len, fa.values())), sum(map(len, fb.values()))
    print(f"{corpus}: {count_a} -> {count_b} findings: " + ("same" if not lines else "differs"))
    if lines:
        print("\n".join(lines))


def main():
    tag_a, tag_b = sys.argv[1], sys.argv[2]
    corpora = []
    for pattern in sys.argv[3:] or CORPORA:
        prefix = f"/tmp/r-{tag_a}-"
        matches = sorted(path[len(prefix):-len(".json")] for path in glob.glob(f"{prefix}{pattern}.json"))
        corpora += matches or [pattern]
    for corpus in corpora:
        a, b = load(tag_a, corpus), load(tag_b, corpus)
        if a is None or b is None:
            print(f"{corpus}: missing report")
            continue
        compare(corpus, a, b)


main()
