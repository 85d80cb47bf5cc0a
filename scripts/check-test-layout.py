#!/usr/bin/env python3
"""Fails when a workspace crate has an integration-test binary other than its one `tests/it`.

Every crate keeps its integration tests in one binary, tests/it/main.rs with a module per file:
each extra binary is another link of the whole dependency graph in `cargo test`, the main cost
of a CI run. Fold a new `tests/foo.rs` into `tests/it/foo.rs` and add `mod foo;` to
tests/it/main.rs; shared helpers go to the crate's tests/it/support or to crates/testkit, never
`#[path]`.
"""
import json
import os
import subprocess
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
meta = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1"],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout
)
workspace = meta["workspace_root"]
found = []
for pkg in meta["packages"]:
    crate_dir = os.path.dirname(pkg["manifest_path"])
    rel = os.path.relpath(crate_dir, workspace)
    for target in pkg["targets"]:
        if "test" not in target["kind"]:
            continue
        src = os.path.relpath(target["src_path"], crate_dir)
        if target["name"] != "it" or src != os.path.join("tests", "it", "main.rs"):
            found.append(f"{rel}: test binary '{target['name']}' ({src})")
    # What cargo would not build by itself (autotests = false) still breaks the rule: a crate's
    # tests/ holds it/ and no other Rust file or binary directory.
    tests_dir = os.path.join(crate_dir, "tests")
    if not os.path.isdir(tests_dir):
        continue
    for name in sorted(os.listdir(tests_dir)):
        path = os.path.join(tests_dir, name)
        binary_dir = os.path.isdir(path) and os.path.isfile(os.path.join(path, "main.rs"))
        if name.endswith(".rs") or (binary_dir and name != "it"):
            found.append(f"{rel}: tests/{name} is outside tests/it")

if found:
    print("test layout: one integration-test binary per crate (tests/it/main.rs); found:")
    for line in sorted(set(found)):
        print("  " + line)
    print("move each into tests/it/ and add a `mod` line to tests/it/main.rs")
    sys.exit(1)
print(f"test layout: {len(meta['packages'])} crates, each with at most one test binary (tests/it)")
