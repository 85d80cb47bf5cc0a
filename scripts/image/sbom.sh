#!/usr/bin/env bash
# CycloneDX 1.5 SBOM of the shipped binary's dependency graph (the musl targets we ship),
# from Cargo metadata, into dist/sbom/nist-csf-mcp.cdx.json. Installs cargo-cyclonedx when
# missing (~4.5 min build). The output carries a random serial number and a timestamp, so it
# is generated per release rather than committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v cargo-cyclonedx >/dev/null 2>&1 || cargo install --locked cargo-cyclonedx
mkdir -p dist/sbom
cargo cyclonedx --manifest-path server/Cargo.toml --format json --spec-version 1.5 \
  --target x86_64-unknown-linux-musl --no-build-deps --override-filename nist-csf-mcp.cdx
mv server/nist-csf-mcp.cdx.json dist/sbom/nist-csf-mcp.cdx.json
# cargo-cyclonedx also writes one file beside every other workspace member's Cargo.toml
# (it describes the whole workspace even with --manifest-path): only the server's is ours.
for m in */Cargo.toml; do rm -f "$(dirname "$m")/nist-csf-mcp.cdx.json"; done
jq -r '"sbom: dist/sbom/nist-csf-mcp.cdx.json: CycloneDX \(.specVersion), \(.components | length) components"' \
  dist/sbom/nist-csf-mcp.cdx.json
