#!/usr/bin/env bash
# Cold start with hyperfine, for comparison with `csf-loadgen` (scenario cold-start, which
# runs this same measurement too when hyperfine is installed): each run spawns the server with
# one `initialize` line on a pipe (the shell's builtin printf) and its stdout on a pipe, as a
# client starts it; the server answers, reads EOF and exits. hyperfine times spawn -> exit (a
# little more than spawn -> reply, which csf-loadgen times) and subtracts its shell's start-up.
#
#   benches/scripts/cold-start.sh [OURS] [OURS_STATIC] [FLOOR] [EXPORT_JSON]
# Requires hyperfine (apt-get install hyperfine) and `make bench-build`.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
arch=$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
ours=${1:-$target/release/nist-csf-mcp}
ours_static=${2:-dist/stage/linux-$arch/nist-csf-mcp}
floor=${3:-dist/stage/floor-linux-$arch/rmcp-floor}
export_json=${4:-$target/cold-start.hyperfine-cli.json}
init=$(cat benches/scripts/initialize.jsonl)
command -v hyperfine >/dev/null || { echo "cold-start.sh: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }
for b in "$ours" "$ours_static" "$floor"; do [ -x "$b" ] || { echo "cold-start.sh: $b missing (make bench-build)" >&2; exit 1; }; done
mkdir -p "$(dirname "$export_json")"
hyperfine --warmup 3 --runs 40 --output pipe --export-json "$export_json" \
  -n ours "printf '%s\n' '$init' | $ours serve" \
  -n ours-static "printf '%s\n' '$init' | $ours_static serve" \
  -n floor "printf '%s\n' '$init' | $floor"
