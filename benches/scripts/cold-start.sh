#!/usr/bin/env bash
# Cold start with hyperfine, for comparison with `csf-loadgen` (scenario cold-start):
# each run spawns the server with one `initialize` line on stdin; the server answers,
# reads EOF and exits. hyperfine times spawn -> exit (a little more than spawn -> reply,
# which csf-loadgen times) and subtracts its own shell's start-up.
#
#   benches/scripts/cold-start.sh [OURS] [FLOOR] [EXPORT_JSON]
# Requires hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
ours=${1:-$target/release/nist-csf-mcp}
floor=${2:-$target/release/rmcp-floor}
arch=$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
export_json=${3:-results/$arch/cold-start.hyperfine-cli.json}
init=benches/scripts/initialize.jsonl
command -v hyperfine >/dev/null || { echo "cold-start.sh: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }
for b in "$ours" "$floor"; do [ -x "$b" ] || { echo "cold-start.sh: $b missing (make bench-build)" >&2; exit 1; }; done
mkdir -p "$(dirname "$export_json")"
hyperfine --warmup 3 --runs 40 --export-json "$export_json" \
  -n ours "$ours serve < $init > /dev/null" \
  -n floor "$floor < $init > /dev/null"
