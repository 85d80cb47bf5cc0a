#!/usr/bin/env bash
# cargo-bin.sh PACKAGE BIN [CARGO BUILD FLAGS...]: builds one binary target and prints the path
# cargo reports for it (whatever the profile, target or CARGO_TARGET_DIR: no guessed path).
set -euo pipefail
pkg=$1 bin=$2
shift 2
cargo build --quiet -p "$pkg" --bin "$bin" "$@" --message-format=json-render-diagnostics |
  python3 -c '
import json, sys
bin = sys.argv[1]
paths = [m["executable"] for m in map(json.loads, sys.stdin)
         if m.get("reason") == "compiler-artifact" and m["target"]["name"] == bin
         and "bin" in m["target"]["kind"] and m.get("executable")]
if not paths:
    sys.exit(f"cargo-bin: cargo reported no executable for {bin}")
print(paths[-1])
' "$bin"
