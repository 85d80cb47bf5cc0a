#!/usr/bin/env bash
# A whole stdio session timed by hyperfine: initialize + N csf_lookup calls written at once
# from a file, then EOF; the server answers everything and exits. The same session (echo
# calls) is replayed against the rmcp floor. Throughput = N / (time - cold start).
#
#   benches/scripts/session-replay.sh [N] [OURS] [FLOOR] [EXPORT_JSON]
# Requires hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
target=${CARGO_TARGET_DIR:-target}
ours=${2:-$target/release/nist-csf-mcp}
floor=${3:-dist/stage/floor-linux-$(uname -m | sed -e s/x86_64/amd64/ -e s/aarch64/arm64/)/rmcp-floor}
arch=$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
export_json=${4:-results/$arch/session-replay.hyperfine-cli.json}
command -v hyperfine >/dev/null || { echo "session-replay.sh: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }
for b in "$ours" "$floor"; do [ -x "$b" ] || { echo "session-replay.sh: $b missing (make bench-build)" >&2; exit 1; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
session() { # $1 = file, $2 = params template with %d for the id
  { cat benches/scripts/initialize.jsonl
    echo '{"jsonrpc":"2.0","method":"notifications/initialized"}'
    for ((i = 1; i <= n; i++)); do printf '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":%s}\n' "$i" "$2"; done
  } > "$1"
}
session "$work/ours.jsonl" '{"name":"csf_lookup","arguments":{"id":"GV.OC-01","detail":"summary"}}'
session "$work/floor.jsonl" '{"name":"echo","arguments":{"text":"GV.OC-01"}}'
# Every reply must be there: count them once before timing.
for t in ours floor; do
  bin=$ours; [ "$t" = floor ] && bin=$floor
  args=""; [ "$t" = ours ] && args=serve
  got=$("$bin" $args < "$work/$t.jsonl" | grep -c '"result"')
  [ "$got" -eq $((n + 1)) ] || { echo "session-replay.sh: $t answered $got of $((n + 1))" >&2; exit 1; }
done
mkdir -p "$(dirname "$export_json")"
hyperfine --warmup 2 --runs 10 --export-json "$export_json" \
  -n "ours ($n lookups)" "$ours serve < $work/ours.jsonl > /dev/null" \
  -n "floor ($n echoes)" "$floor < $work/floor.jsonl > /dev/null"
