#!/usr/bin/env bash
# Drives the release binary with real MCP clients over stdio: the official Python SDK and the
# MCP Inspector CLI. Prints one summary line; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-test-tools.sh >/dev/null
BIN=${CSF_BIN:-$PWD/target/release/nist-csf-mcp}
[ -x "$BIN" ] || { echo "error: $BIN missing; run make release" >&2; exit 1; }

DB_DIR=$(mktemp -d)
trap 'rm -rf "$DB_DIR"' EXIT
.venv/bin/python tests/clients/mcp_client_test.py stdio "$BIN" serve --db "$DB_DIR/csf.db"
# A whole engagement with hand-computed numbers, and the executive report printed on A4.
.venv/bin/python tests/clients/engagement_test.py "$BIN" serve --db "$DB_DIR/engagement.db"
# A whole assessment campaign: elicitation and tool calls, two assessors, restart, sign-off.
mkdir -p "$DB_DIR/campaign"
.venv/bin/python tests/clients/campaign_test.py "$BIN" "$DB_DIR/campaign"

INSPECTOR=.tools/inspector/node_modules/.bin/mcp-inspector
pass=0; fail=0
# inspect NAME PY-EXPR ARGS...: runs the Inspector CLI and evaluates PY-EXPR on its JSON output `o`.
inspect() {
  local name=$1 expr=$2; shift 2
  local out
  out=$(timeout 60 "$INSPECTOR" --cli "$BIN" serve "$@" 2>/dev/null) || true
  if printf '%s' "$out" | .venv/bin/python -c "import json,sys; o=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)" 2>/dev/null; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL inspector $name: ${out:0:300}" >&2
  fi
}
inspect tools/list "len(o['tools']) >= 6 and all('outputSchema' in t for t in o['tools'])" --method tools/list
inspect lookup "o['structuredContent']['id'] == 'PR.AA-03' and not o.get('isError')" \
  --method tools/call --tool-name csf_lookup --tool-arg id=pr.aa-3
inspect lookup-invalid "o['isError'] and 'did you mean' in o['content'][0]['text']" \
  --method tools/call --tool-name csf_lookup --tool-arg id=PR.AA-99
inspect search "o['structuredContent']['results'][0]['id'].startswith('GV.SC')" \
  --method tools/call --tool-name search_framework --tool-arg 'query=supply chain risk'
inspect crosswalk "any(s['id'] == 'GV.OC' for s in o['structuredContent']['successors'])" \
  --method tools/call --tool-name csf_crosswalk --tool-arg id=ID.BE
inspect resources/list "any(r['uri'] == 'csf://framework' for r in o['resources'])" --method resources/list
inspect resources/templates "o['resourceTemplates'][0]['uriTemplate'] == 'csf://element/{id}'" --method resources/templates/list
inspect resources/read "json.loads(o['contents'][0]['text'])['id'] == 'DE.CM'" --method resources/read --uri csf://element/de.cm
echo "inspector: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

# --- Streamable HTTP (stateless JSON) against the same binary --------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_healthy() { for _ in $(seq 100); do "$BIN" healthcheck "127.0.0.1:$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
PORT=$(free_port)
"$BIN" serve --http "127.0.0.1:$PORT" --db "$DB_DIR/http.db" 2>"$DB_DIR/http.log" &
HTTP_PID=$!
trap 'kill $HTTP_PID 2>/dev/null || true; rm -rf "$DB_DIR"' EXIT
wait_healthy "$PORT" || { cat "$DB_DIR/http.log" >&2; echo "HTTP server did not become healthy" >&2; exit 1; }
.venv/bin/python tests/clients/mcp_client_test.py http "http://127.0.0.1:$PORT/mcp"
out=$(timeout 60 "$INSPECTOR" --cli "http://127.0.0.1:$PORT/mcp" --transport http --method tools/call \
  --tool-name csf_lookup --tool-arg id=pr.aa-3 2>/dev/null || true)
if printf '%s' "$out" | .venv/bin/python -c "import json,sys; sys.exit(0 if json.load(sys.stdin)['structuredContent']['id']=='PR.AA-03' else 1)" 2>/dev/null; then
  echo "inspector-http: 1 passed, 0 failed"
else
  echo "FAIL inspector over HTTP: ${out:0:300}" >&2; exit 1
fi
kill "$HTTP_PID"; wait "$HTTP_PID" 2>/dev/null || true

# --- API keys: a read-only key cannot write, and nothing is written ---------------------------
PORT=$(free_port)
READ_KEY=reader-$(openssl rand -hex 16)
WRITE_KEY=writer-$(openssl rand -hex 16)
"$BIN" serve --http "127.0.0.1:$PORT" --db "$DB_DIR/auth.db" --auth api-key \
  --api-key "reader:read:$(printf %s "$READ_KEY" | "$BIN" hash-key),writer:read+write:$(printf %s "$WRITE_KEY" | "$BIN" hash-key)" \
  2>"$DB_DIR/auth.log" &
HTTP_PID=$!
wait_healthy "$PORT" || { cat "$DB_DIR/auth.log" >&2; exit 1; }
post() { curl -s -o "$DB_DIR/body" -w '%{http_code}' "http://127.0.0.1:$PORT/mcp" -H "Authorization: Bearer $1" \
  -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -H 'MCP-Protocol-Version: 2025-11-25' -d "$2"; }
create='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Should not exist"}}}'
list='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_organizations","arguments":{}}}'
pass=0; fail=0
expect() { if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL auth $1: got $2, want $3: $(head -c 300 "$DB_DIR/body")" >&2; fi; }
expect "no token" "$(post '' "$list")" 401
expect "wrong key" "$(post nope "$list")" 401
expect "read key writes" "$(post "$READ_KEY" "$create")" 403
expect "read key reads" "$(post "$READ_KEY" "$list")" 200
grep -q '"organizations":\[\]' "$DB_DIR/body" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the refused write left data" >&2; }
expect "write key writes" "$(post "$WRITE_KEY" "$create")" 200
kill "$HTTP_PID"; wait "$HTTP_PID" 2>/dev/null || true
echo "http-auth: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
