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
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Duplicate-version warnings are long dependency trees: keep them out of the CI log unless
# the check fails, and print how many there were.
if ! cargo deny --offline check licenses bans sources >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "deny: $(cargo deny --version): $(tail -1 "$log")" \
  "($(grep -c '^warning\[duplicate\]' "$log" || true) duplicate-version warnings: see cargo deny check bans)"
