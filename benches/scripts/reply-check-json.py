#!/usr/bin/env python3
"""Collects one run of `cargo bench -p csf-benches --bench reply_check` from criterion's
estimates (target/criterion/<group>/<function>/new/estimates.json) as JSON on stdout: per
benchmark the median and its 95% interval in microseconds, and per reply kind the ratio
serde_json / simd-json of the medians. Usage: reply-check-json.py [CRITERION_DIR] [BYTES_LOG]
(BYTES_LOG: the bench's stderr, whose "<name>: <n> bytes" lines give the reply sizes)."""

import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
sizes = {}
if len(sys.argv) > 2:
    for m in re.finditer(r"^(\S+): (\d+) bytes$", pathlib.Path(sys.argv[2]).read_text(), re.M):
        sizes[m.group(1)] = int(m.group(2))

benches = {}
for bench in sorted(root.glob("*/*/new/benchmark.json")):
    meta = json.loads(bench.read_text())
    if not meta["group_id"].startswith(("reply_check/", "decode/import-body")):
        continue
    est = json.loads((bench.parent / "estimates.json").read_text())["median"]
    group = benches.setdefault(meta["group_id"], {})
    group[meta["function_id"]] = {
        "median_us": round(est["point_estimate"] / 1000, 3),
        "median_ci95_us": [
            round(est["confidence_interval"]["lower_bound"] / 1000, 3),
            round(est["confidence_interval"]["upper_bound"] / 1000, 3),
        ],
    }

out = {}
for group, fns in benches.items():
    row = {"bytes": sizes.get(group), **fns}
    simd = fns.get("simd-json") or fns.get("simd-json-value")
    for serde in ("serde_json", "serde_json-borrowed"):
        if simd and serde in fns:
            key = "ratio_" + serde.replace("-", "_") + "_over_simd"
            row[key] = round(fns[serde]["median_us"] / simd["median_us"], 3)
    out[group] = row
json.dump(out, sys.stdout, indent=2)
print()
