#!/usr/bin/env bash
# Lints the image and deployment files: hadolint (Dockerfile), actionlint (workflows),
# YAML syntax of deploy/ and the Helm-free Kubernetes manifests, docker-compose structure.
# Needs scripts/image/tools.sh --lint first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/image/lib.sh
with_image_tools

hadolint --no-color Dockerfile
echo "lint: hadolint clean (Dockerfile)"

# actionlint reads .github/workflows/ of the git checkout it runs in.
actionlint -no-color
echo "lint: actionlint clean ($(ls .github/workflows/*.yml | wc -l) workflows)"

"$IMAGE_TOOLS_VENV/bin/python3" scripts/image/check-deploy.py
