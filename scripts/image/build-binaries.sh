#!/usr/bin/env bash
# Cross-compiles the static nist-csf-mcp binaries (musl) for the image, natively: no emulation.
# Usage: scripts/image/build-binaries.sh [--floor] [ARCH...]      (default: amd64 arm64)
# Output: dist/stage/linux-<arch>/nist-csf-mcp (what the Dockerfile's prebuilt stage copies).
# --floor builds the benchmark's floor server (rmcp-floor) instead, the same way (same target,
# profile, flags), into dist/stage/floor-linux-<arch>/rmcp-floor, for `make bench`.
# Honours CARGO_TARGET_DIR (default target/). Needs scripts/image/tools.sh first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/image/lib.sh
with_image_tools

package=nist-csf-mcp bin=nist-csf-mcp stage_prefix=linux
if [ "${1:-}" = --floor ]; then
  shift
  package=csf-loadgen bin=rmcp-floor stage_prefix=floor-linux
fi
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=("${IMAGE_ARCHES[@]}")
targets=()
for a in "${arches[@]}"; do targets+=(--target "$(rust_triple "$a")"); done

# Paths inside the binary (panic locations) must not depend on where this machine keeps the
# cargo registry, or two builds of one commit would differ. (Workspace crates are compiled
# with paths relative to the checkout already.)
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$cargo_home=/cargo"

# Linked by Rust's own lld (the musl targets' crt objects and libc are the toolchain's
# self-contained ones; zig only compiles the C dependencies) through scripts/link/ordered-link,
# which places the server's start-up functions together: zig's linker driver refuses lld's
# --symbol-ordering-file. Position-dependent code, as the glibc build links (server/build.rs):
# nothing to relocate at start, and crt1.o instead of the static-pie start code. v0 symbol
# names: see .cargo/config.toml.
host=$(rustc -vV | sed -n 's/^host: //p')
CSF_LLD="$(rustc --print sysroot)/lib/rustlib/$host/bin/rust-lld"
export CSF_LLD
export RUSTFLAGS="$RUSTFLAGS -C linker=$PWD/scripts/link/ordered-link -C linker-flavor=ld.lld"
export RUSTFLAGS="$RUSTFLAGS -C relocation-model=static -C symbol-mangling-version=v0"

# Images are built for size: at opt-level 3 the static binary compresses to 5.3 MB (HTTP auth
# crypto, PostgreSQL driver and reports), over the 4 MB image target. The catalog crate keeps
# opt-level 3 (Cargo.toml). Benchmarks in results/ measure the opt-level 3 host build.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}
bash scripts/fetch-data.sh >/dev/null
t0=$SECONDS
link_report=$(mktemp)
trap 'rm -f "$link_report"' EXIT
export CSF_LINK_ORDER_REPORT=$link_report
# cargo-auditable (when installed) embeds the dependency list in the binary, so scanners
# (trivy, syft, `cargo audit bin`) can read it from the shipped image. It wraps any cargo
# subcommand: `cargo auditable zigbuild`.
build=(cargo zigbuild)
if command -v cargo-auditable >/dev/null 2>&1; then
  build=(cargo auditable zigbuild)
  echo "image: cargo-auditable found: embedding the dependency list"
fi
# IMAGE_CARGO_LOCKED=1 (the release workflow) refuses a Cargo.lock that does not match.
locked=()
[ "${IMAGE_CARGO_LOCKED:-0}" = 1 ] && locked=(--locked)
# IMAGE_FEATURES=postgres-tls builds a TLS-capable server (about 0.6 MB more compressed, past
# the default image's 4 MB budget: verify such an image with a raised IMAGE_MAX_BYTES).
features=()
[ -n "${IMAGE_FEATURES:-}" ] && features=(--features "$IMAGE_FEATURES")
if [ "$package" = nist-csf-mcp ]; then
  "${build[@]}" "${locked[@]}" --release -p nist-csf-mcp "${features[@]}" "${targets[@]}"
else
  "${build[@]}" "${locked[@]}" --release -p "$package" --bin "$bin" "${targets[@]}"
fi
target_dir=${CARGO_TARGET_DIR:-target}
for a in "${arches[@]}"; do
  out=$STAGE/$stage_prefix-$a
  mkdir -p "$out"
  install -m 0755 "$target_dir/$(rust_triple "$a")/release/$bin" "$out/$bin"
  # Unwind tables only serve unwinding and backtraces; with panic=abort nothing unwinds (a
  # panic ends the process; its message is still printed, without a backtrace). They are about
  # 1.1 MB of the static binary and 9% of the compressed image: cleared here, for any target
  # architecture (llvm-objcopy). The precompiled std keeps emitting them whatever -C
  # force-unwind-tables says, so a compiler flag does not remove them.
  llvm-objcopy --remove-section=.eh_frame --remove-section=.eh_frame_hdr \
    --remove-section=.gcc_except_table "$out/$bin"
  echo "image: $out/$bin $(stat -c %s "$out/$bin") bytes: $(file -b "$out/$bin")"
done
# Which start-up functions the linker placed together (nothing when nothing was relinked).
sed 's|^.*/deps/|image: link order: |' "$link_report"
if grep -q 'NOT ORDERED' "$link_report"; then
  echo "image: WARNING: a binary was linked without its start-up order (idle memory grows)" >&2
fi
# The image's /data: an empty directory copied with --chown so UID 10001 owns it (no shell in
# the image to chown with).
mkdir -p "$STAGE/data"
echo "image: binaries built in $((SECONDS - t0))s"
