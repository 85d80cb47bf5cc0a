#!/usr/bin/env bash
# Installs what the README's test command needs on a fresh machine, only what is missing:
# rustfmt and clippy, the Debian packages below, and the real MCP clients the tests drive.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
rustup component add rustfmt clippy >/dev/null 2>&1 || true
# openssl: the OAuth log test signs its tokens with it; chromium: the executive report printed
# to PDF (two A4 pages at most) and the web console's browser tests (Playwright drives this one;
# none is downloaded).
apt_need curl ca-certificates python3-venv openssl chromium
bash scripts/ensure-test-tools.sh
