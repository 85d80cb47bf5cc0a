#!/usr/bin/env bash
# Installs the real MCP clients the tests drive, only when missing:
#   - the official Python SDK (`mcp`) in .venv/
#   - MCP Inspector CLI 0.15.0 (the last release that runs on Node 20) in .tools/inspector/
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import mcp' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'mcp>=1.20,<3'
fi
if [ ! -x .tools/inspector/node_modules/.bin/mcp-inspector ]; then
  mkdir -p .tools/inspector
  npm install --silent --no-audit --no-fund --prefix .tools/inspector @modelcontextprotocol/inspector@0.15.0 >/dev/null
fi
echo "test tools: python mcp $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("mcp"))'), inspector $(node -p 'require("./.tools/inspector/node_modules/@modelcontextprotocol/inspector/package.json").version')"
