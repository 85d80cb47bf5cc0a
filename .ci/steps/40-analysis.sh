#!/usr/bin/env bash
# Analysis checks beyond `make test`: the OSCAL export loads in compliance-trestle (OSCAL 1.1.3)
# with every finding's observation present, and the HTML reports render in headless Chromium
# with drawn SVG charts and no console errors. Screenshots: $CARGO_TARGET_DIR or target, under analysis-samples/*.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
apt_need chromium python3-venv
make report-checks
