#!/usr/bin/env bash
# Lints the image and deployment files: hadolint (Dockerfile); actionlint (workflows, and
# the run: blocks through ShellCheck); ShellCheck on our scripts; deploy/ (YAML syntax, API
# schemas of the Kubernetes manifests, the hardening of compose and Kubernetes, compose's
# opt-in autoupdate profile) and the tests of that deploy/ check.
# Needs scripts/image/tools.sh --lint first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/image/lib.sh
with_image_tools

hadolint --no-color Dockerfile
echo "lint: hadolint clean (Dockerfile)"

# actionlint reads .github/workflows/ of the git checkout it runs in.
actionlint -no-color
workflows=(.github/workflows/*.yml)
echo "lint: actionlint clean (${#workflows[@]} workflows$(command -v shellcheck >/dev/null && echo ', run: blocks shellchecked'))"
shellcheck -x scripts/image/*.sh .ci/steps/50-image.sh
echo "lint: shellcheck clean (scripts/image, .ci/steps/50-image.sh)"

"$IMAGE_TOOLS_VENV/bin/python3" scripts/image/check-deploy.py
# The check itself, on broken copies of the compose file (each breakage must be reported).
"$IMAGE_TOOLS_VENV/bin/python3" -m unittest discover -s tests/deploy -p 'test_*.py'
echo "lint: deploy/ check catches a broken autoupdate profile (tests/deploy)"
