#!/usr/bin/env bash
# Drives the web console (/ui/) of the release binary in headless Chromium (Debian's package,
# through Playwright for Python) with axe-core checks on every page. One summary line; exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-test-tools.sh >/dev/null
BIN=${CSF_BIN:-$PWD/target/release/nist-csf-mcp}
[ -x "$BIN" ] || { echo "error: $BIN missing; run make release" >&2; exit 1; }
command -v "${CSF_CHROMIUM:-chromium}" >/dev/null || {
  echo "error: chromium missing; apt-get install -y chromium (or set CSF_CHROMIUM)" >&2; exit 1; }
export CSF_CHROMIUM=${CSF_CHROMIUM:-$(command -v chromium)}
exec .venv/bin/python tests/clients/console_browser_test.py "$BIN"
