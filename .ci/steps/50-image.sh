#!/usr/bin/env bash
# Image checks (docs/REGISTRY.md): lint the image and deploy files, cargo-deny, build both
# images with `make image`, verify them from the archives (size <= 4 MB, non-root, no shell,
# static binary answers initialize on amd64 natively and arm64 under qemu, HTTP/healthcheck
# when the binary has them) and check that the figures in docs/REGISTRY.md match results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh

part() {
  local name=$1; shift
  local t0=$SECONDS
  "$@"
  echo "image-ci: $name ok in $((SECONDS - t0))s"
}

part "tools" bash scripts/image/tools.sh
part "lint tools" bash scripts/image/tools.sh --lint
# cargo-auditable (~1 min to install) embeds the dependency list in the shipped binary;
# verify.sh then requires it to be there.
part "cargo-auditable" cargo_tool cargo-auditable cargo-auditable
part "lint (hadolint, actionlint, shellcheck, deploy/)" bash scripts/image/lint.sh
part "cargo deny (licenses, bans, sources; offline)" bash scripts/image/deny.sh
# The committed figures must be the ones the committed results files give; the run below
# then measures afresh (and may differ from them: that is a note, not a failure).
part "docs figures match results/" python3 scripts/image/docs-figures.py --check
# The labels are pinned for this build and the reproducibility rebuild below: a rebuild on a
# shared working tree can differ because the revision label had changed in between (a commit, a
# "-dirty" suffix); with them fixed, any difference is a real reproducibility bug.
source scripts/image/lib.sh
IMAGE_REVISION=$(git_revision) IMAGE_CREATED=$(git_created)
export IMAGE_REVISION IMAGE_CREATED
part "make image" make image
# IMAGE_REQUIRE_HTTP=1: `serve --http` and `healthcheck` are in the binary, so verify.sh must
# run those checks (they cannot silently skip).
part "verify archives (both arches)" env IMAGE_REQUIRE_AUDITABLE=1 IMAGE_REQUIRE_HTTP=1 \
  bash scripts/image/verify.sh
# Reproducible assembly: the same binaries and labels must give the same manifest digests
# again (make image above assembled the first set, with the labels pinned).
digests() {
  for a in amd64 arm64 multiarch; do
    tar -xOf "dist/nist-csf-mcp-$a.oci.tar" index.json | jq -r '.manifests[0].digest'
  done
}
first=$(digests)
part "rebuild images (reproducibility)" bash -c 'bash scripts/image/build-images.sh >/dev/null'
if [ "$(digests)" = "$first" ]; then
  echo "image-ci: rebuild gave identical digests: $(echo "$first" | tr '\n' ' ')"
else
  echo "image-ci: rebuilt images differ: $(echo "$first" | tr '\n' ' ') vs $(digests | tr '\n' ' ')" >&2
  exit 1
fi
for a in amd64 arm64; do
  committed=$(git show "HEAD:results/$a/image.json" 2>/dev/null | jq .compressed_bytes || echo none)
  echo "image-ci: $a compressed image $(jq .compressed_bytes "results/$a/image.json") B" \
    "(figure committed in results/$a/image.json: $committed B)"
done
if command -v cargo-cyclonedx >/dev/null 2>&1; then
  part "sbom" bash scripts/image/sbom.sh
else
  echo "image-ci: SKIP sbom: cargo-cyclonedx is not installed here (a ~4.5 min build);" \
    "the SBOM is generated and attested by .github/workflows/release.yml (make sbom locally)"
fi
