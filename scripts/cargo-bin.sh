#!/usr/bin/env bash
# Prints the path cargo reports for a binary it built (whatever the profile, target or
# CARGO_TARGET_DIR: no guessed path).
#   cargo-bin.sh PACKAGE BIN [CARGO BUILD FLAGS...]  builds binary BIN of PACKAGE with the flags.
#   cargo-bin.sh --tested BIN    binary BIN as `make test` (cargo test --workspace --all-targets)
#                                builds it, so nothing is compiled again after `make test`. A
#                                `-p PACKAGE` build resolves dependency features for that package
#                                alone, without dev-dependencies: after `make test` it recompiled
#                                35 crates for the transport's test server.
#   cargo-bin.sh --example NAME  example NAME, built with the whole workspace's features and
#                                dev-dependencies (as `make test` resolves them): only the example
#                                itself and what differs is compiled.
set -euo pipefail
case $1 in
  --tested) kind=bin name=$2; build=(cargo test --quiet --workspace --all-targets --no-run) ;;
  --example) kind=example name=$2; build=(cargo build --quiet --workspace --example "$2") ;;
  *) kind=bin pkg=$1 name=$2; shift 2; build=(cargo build --quiet -p "$pkg" --bin "$name" "$@") ;;
esac
"${build[@]}" --message-format=json-render-diagnostics |
  python3 -c '
import json, sys
kind, name = sys.argv[1:3]
paths = [m["executable"] for m in map(json.loads, sys.stdin)
         if m.get("reason") == "compiler-artifact" and m["target"]["name"] == name
         and kind in m["target"]["kind"] and not m["profile"]["test"] and m.get("executable")]
if not paths:
    sys.exit(f"cargo-bin: cargo reported no {kind} executable named {name}")
print(paths[-1])
' "$kind" "$name"
