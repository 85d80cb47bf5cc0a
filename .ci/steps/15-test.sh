#!/usr/bin/env bash
# The README's test command: unit and integration tests of every crate (one build of the debug
# profile), the tooling tests, and the release binary driven by real MCP clients.
set -euo pipefail
cd "$(dirname "$0")/../.."
make test
