#!/usr/bin/env bash
# arm64 under emulation (qemu-user): FUNCTIONAL figures only. The arm64 server binary (the
# one the image ships, dist/stage/linux-arm64/nist-csf-mcp from `make image`) answers
# lookups and searches correctly, every reply checked. Timings and RSS under qemu measure
# the emulator, not our code: they are recorded but must not be read as arm64 figures.
#
#   benches/scripts/arm64-functional.sh [ARM64_BINARY] [OUT_DIR]
# Needs qemu-user-static (apt-get install qemu-user-static) and csf-loadgen (make bench-build).
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
bin=${1:-dist/stage/linux-arm64/nist-csf-mcp}
out=${2:-results/arm64}
loadgen=$target/release/csf-loadgen
qemu=$(command -v qemu-aarch64-static || true)
[ -n "$qemu" ] || { echo "arm64-functional.sh: skipped: qemu-aarch64-static not installed"; exit 0; }
[ -f "$bin" ] || { echo "arm64-functional.sh: skipped: no arm64 binary at $bin (make image)"; exit 0; }
[ -x "$loadgen" ] || { echo "arm64-functional.sh: $loadgen missing (make bench-build)" >&2; exit 1; }
file "$bin" | grep -q 'ARM aarch64' || { echo "arm64-functional.sh: $bin is not an aarch64 binary" >&2; exit 1; }
mkdir -p "$out"
run() { # name, loadgen args...
  local name=$1; shift
  echo "== $name"
  "$loadgen" "$@" -- "$qemu" "$bin" serve > "$out/functional-$name.json"
}
run lookup stdio --tool csf_lookup --args '{"id":"GV.OC-01","detail":"full"}' \
  --expect '/result/structuredContent/id="GV.OC-01"' --requests 1000 --warmup 10
run search stdio --tool search_framework --args '{"query":"supply chain risk","limit":10}' \
  --expect '/result/structuredContent/results/0/id="GV.SC"' --requests 200 --warmup 0
run pipelined stdio --tool csf_lookup --args '{"id":"PR.AA-01","detail":"summary"}' \
  --expect '/result/structuredContent/id="PR.AA-01"' -w 16 --requests 2000 --warmup 0
echo "arm64 (qemu-user): all replies correct; rows in $out/functional-*.json (timings/RSS are the emulator's)"
