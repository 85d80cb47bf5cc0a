#!/usr/bin/env bash
# Loopback HTTP measurements of csf-transport with its test server (bounded: 127.0.0.1 only,
# fixed durations). 1) throughput of a read-only tools/call at c=64, stateless JSON, bodies
# checked; 2) overload: 512 connections against --max-concurrent 32, then peak RSS (VmHWM),
# the shed count from /metrics, and a normal call afterwards.
# Usage: benches/scripts/wrk-transport.sh [SECONDS]   (needs wrk; builds the test server in release mode)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
# Fat LTO with one codegen unit takes many minutes on 2 cores; the figures say which build ran.
# Symbols are kept so `perf record -p PID` can name functions.
BIN=$(bash scripts/cargo-bin.sh csf-transport-test-server transport-test-server --release \
  --config 'profile.release.lto=false' --config 'profile.release.codegen-units=16' \
  --config 'profile.release.strip=false')
LUA=benches/scripts/wrk-tools-call.lua
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg) (shared with other jobs)"

PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null || true' EXIT
# Interleaved: our full stack (gate) and rmcp alone (floor), same load, same machine state.
for run in 1 2 3; do
  for mode in gate floor; do
    if [ $mode = gate ]; then "$BIN" --http "127.0.0.1:$PORT" --max-concurrent 128 2>/dev/null & PID=$!
    else "$BIN" --raw-rmcp-http "127.0.0.1:$PORT" 2>/dev/null & PID=$!; fi
    sleep 0.5
    echo "c=64 $mode run $run: $(wrk -t2 -c64 -d"${SECS}s" --latency -s "$LUA" "$URL/mcp" | grep RESULT)"
    [ $mode = gate ] && echo "  gate server peak RSS: $(grep VmHWM /proc/$PID/status | tr -s ' ')"
    kill $PID; wait $PID 2>/dev/null || true; PID=""
  done
done

"$BIN" --http "127.0.0.1:$PORT" --max-concurrent 32 2>/dev/null & PID=$!
sleep 0.5
echo "overload c=512 vs max 32: $(wrk -t2 -c512 -d"${SECS}s" -s "$LUA" "$URL/mcp" | grep RESULT) (bad = shed 503s)"
echo "server peak RSS under overload: $(grep VmHWM /proc/$PID/status | tr -s ' ')"
echo "shed counter: $(curl -s "$URL/metrics" | grep 'reason="shed"' || echo none)"
after=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
  -H 'accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}' "$URL/mcp")
echo "call after overload: HTTP $after"
[ "$after" = 200 ]
