#!/usr/bin/env python3
"""Fails if any committed fuzz input contains NIST text (the data rule: nothing derived from the
catalog or the informative references may be committed).

A file fails when it shares a run of WINDOW characters (case and runs of whitespace ignored) with
any string of NIST's CSF 2.0 catalog (statements, titles, examples, overviews) or any line of the
informative-references extract (fuzzers learn strings from comparisons, so they can pick up
dataset names or outcome text). Usage:
    check_corpus_text.py [--drop] DIR...      (--drop deletes the offending files)
The data files are looked up in data/nist-csf-2.0/ (after `make data`) or $CSF_DATA_DIR.
"""
import json
import os
import re
import sys

WINDOW = 40
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("CSF_DATA_DIR", os.path.join(ROOT, "data", "nist-csf-2.0"))


def norm(text):
    return re.sub(r"\s+", " ", text.lower())


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def nist_windows():
    sources = []
    with open(os.path.join(DATA, "NIST_CSF_v2.0_catalog.json"), encoding="utf-8") as f:
        sources.extend(strings(json.load(f)))
    refs = os.path.join(DATA, "csf-2.0-informative-references.csv")
    if os.path.exists(refs):
        with open(refs, encoding="utf-8") as f:
            for line in f:
                sources.append(line)
                sources.extend(line.split(","))
    windows = set()
    for s in sources:
        s = norm(s)
        for i in range(len(s) - WINDOW + 1):
            windows.add(s[i : i + WINDOW])
    return windows


def offending(path, windows):
    with open(path, "rb") as f:
        text = norm(f.read().decode("utf-8", "replace"))
    return any(text[i : i + WINDOW] in windows for i in range(len(text) - WINDOW + 1))


def main(argv):
    drop = "--drop" in argv
    dirs = [a for a in argv if a != "--drop"]
    if not dirs:
        print(__doc__, file=sys.stderr)
        return 2
    windows = nist_windows()
    bad, checked = [], 0
    for d in dirs:
        for base, _, files in os.walk(d):
            for name in sorted(files):
                path = os.path.join(base, name)
                checked += 1
                if offending(path, windows):
                    bad.append(path)
    for path in bad:
        if drop:
            os.remove(path)
        print(f"{'dropped' if drop else 'NIST text in'}: {path}", file=sys.stderr)
    print(f"corpus text check: {checked} files, {len(bad)} with NIST text"
          f"{' (dropped)' if drop and bad else ''}")
    return 1 if bad and not drop else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
