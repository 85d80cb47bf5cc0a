#!/usr/bin/env bash
# Benchmark gate, short profile: our server and the rmcp floor measured side by side,
# compared with results/<arch>/baseline.json and results/targets.toml. Gates on instruction
# counts (callgrind), RSS, image bytes and time ratios to the floor; wrong answers fail it.
# Then proves the gate works: the same run with an injected regression must be rejected.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
apt_need valgrind
make bench-gate

arch=$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
target=${CARGO_TARGET_DIR:-target}
loadgen=$target/release/csf-loadgen
for inject in 'memory:ours:rss_idle_kb*2' 'icount-lookup:ours:ir_per_request*1.5' \
              'lookup-stdio:ours:latency_p50_us*10' 'lookup-stdio:ours:errors=1'; do
  set +e
  "$loadgen" gate --results "$target/bench-gate" --baseline "results/$arch/baseline.json" \
    --targets results/targets.toml --inject "$inject" >/tmp/bench-gate-inject.txt 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 1 ]; then
    cat /tmp/bench-gate-inject.txt
    echo "bench-gate: injected regression '$inject' was not rejected (exit $rc)"
    exit 1
  fi
  echo "bench-gate: injected regression '$inject' rejected, as it must be"
done
