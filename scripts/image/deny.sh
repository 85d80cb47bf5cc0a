#!/usr/bin/env bash
# cargo-deny against deny.toml: licenses, bans and sources, offline (this machine cannot fetch
# the RustSec advisory database; ci.yml runs the full `cargo deny check` with network).
# Installs cargo-deny when missing (a ~4.5 min build, once per machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "deny: installing cargo-deny (once)"
  cargo install --locked cargo-deny
fi
cargo deny --version
cargo deny --offline check licenses bans sources
