#!/usr/bin/env bash
# Benchmark gate, short profile: both builds of our server (glibc release, static image
# binary) and the static rmcp floor measured side by side, compared with
# results/<arch>/baseline.json and results/targets.toml. Gates on intervals: instruction
# counts (callgrind), start-up page faults, memory, image bytes, the targets the product meets,
# and time ratios to the floor; wrong answers fail it.
# Then proves the gate works: the same run with an injected regression must be rejected,
# including a 10% regression of start-up work (page faults) and of idle memory (PSS; for the
# glibc build, 10% above the baseline: see below); and
# `make bench-gate-proof` measures each shipped binary twice: its rerun must pass and the
# rerun 10% worse must fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
apt_need valgrind hyperfine
make bench-gate

arch=$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
target=${CARGO_TARGET_DIR:-target}
loadgen=$target/release/csf-loadgen
# The glibc build's idle PSS depends on how many other processes share libc's pages, so a run
# can sit a few % below the baseline, and the run's own figure +10% then stays inside the
# baseline's +5% limit. That injection sets the figure 10% above the baseline instead (the
# run's interval moves with it). `make bench-gate-proof` below checks +10% against a rerun of
# the same binary on this machine.
glibc_pss=$(python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
memory = next(r for r in rows if r["scenario"] == "memory")
ours = next(t for t in memory["targets"] if t["target"] == "ours")
print(round(ours["metrics"]["pss_idle_kb"] * 1.1, 1))
' "results/$arch/baseline.json")
for inject in 'memory:ours:rss_idle_kb*2' 'icount-lookup:ours:ir_per_request*1.5' \
              'lookup-stdio:ours:latency_p50_us*10' 'lookup-stdio:ours:errors=1' \
              'cold-start:ours:startup_faults*1.1' 'cold-start:ours-static:startup_faults*1.1' \
              "memory:ours:pss_idle_kb=$glibc_pss" 'memory:ours-static:pss_idle_kb*1.1'; do
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

make bench-gate-proof
