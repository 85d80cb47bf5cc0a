#!/usr/bin/env bash
# One test binary per crate (tests/it), rustfmt, clippy with warnings denied.
set -euo pipefail
cd "$(dirname "$0")/../.."
make lint
