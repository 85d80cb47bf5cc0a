#!/usr/bin/env bash
# Installs the real MCP clients the tests drive, only when missing:
#   - the official Python SDK (`mcp`) and pypdf (counts the pages of a printed report) in .venv/
#   - Debian's chromium (prints the executive report to PDF), when apt-get is available
#   - MCP Inspector CLI 0.15.0 (the last release that runs on Node 20) in .tools/inspector/
#   - Playwright for Python in .venv/ (it drives Debian's chromium; no browser is downloaded)
#     and axe-core in .tools/axe/, for the web console's browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import mcp, pypdf' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'mcp>=1.20,<3' 'pypdf>=4,<7'
fi
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if ! .venv/bin/python -c 'import playwright' 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check 'playwright>=1.49,<2'
fi
if [ ! -f .tools/axe/node_modules/axe-core/axe.min.js ]; then
  mkdir -p .tools/axe
  npm install --silent --no-audit --no-fund --prefix .tools/axe axe-core@4.10.3 >/dev/null
fi
if [ ! -x .tools/inspector/node_modules/.bin/mcp-inspector ]; then
  mkdir -p .tools/inspector
  npm install --silent --no-audit --no-fund --prefix .tools/inspector @modelcontextprotocol/inspector@0.15.0 >/dev/null
fi
echo "test tools: python mcp $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("mcp"))'), inspector $(node -p 'require("./.tools/inspector/node_modules/@modelcontextprotocol/inspector/package.json").version')"
