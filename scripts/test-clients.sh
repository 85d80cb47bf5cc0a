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
