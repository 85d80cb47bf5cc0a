#!/usr/bin/env bash
# NIST's CSF 2.0 catalog and references under data/ (sha256-checked); every build needs them.
set -euo pipefail
cd "$(dirname "$0")/../.."
make data
