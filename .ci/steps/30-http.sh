#!/usr/bin/env bash
# csf-transport's own tests (auth, rebinding, limits, shutdown, 100k-request stdio
# flood) and real MCP clients over Streamable HTTP (Python SDK, MCP Inspector CLI).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck disable=SC1091 # sourced helper, path relative to the repo root
source .ci/lib.sh
apt_need python3-venv
# Node (for the Inspector) comes with .ci/setup.sh; install Debian's only if none is there.
command -v npm >/dev/null || apt_need nodejs npm
# csf-transport's own tests already ran in `make test` (cargo test --workspace).
bash scripts/test-http-clients.sh
