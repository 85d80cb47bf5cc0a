#!/usr/bin/env bash
# Fuzzing: the short run (FUZZ_SHORT_SECONDS per target, default 30) of every fuzz
# target on nightly with AddressSanitizer, after checking that no committed input carries NIST
# text. Installs the nightly toolchain and cargo-fuzz only when missing. Figures go to a scratch
# directory (the committed results/fuzz/ holds the figures of recorded runs) and are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
t0=$SECONDS
python3 fuzz/scripts/check_corpus_text.py fuzz/seeds fuzz/regressions
rustup run nightly rustc --version >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal
cargo_tool cargo-fuzz cargo-fuzz
echo "fuzz: tools ready in $((SECONDS - t0))s"
export FUZZ_RESULTS_DIR
FUZZ_RESULTS_DIR=$(mktemp -d)
status=0
# An unoptimised build: compiling is most of this step (see fuzz/scripts/run.sh).
# CI's machine is its own: one target per core (each still fuzzes for its full time).
FUZZ_BUILD=dev FUZZ_PARALLEL=$(nproc) make fuzz-short || status=$?
cat "$FUZZ_RESULTS_DIR/latest.md"
echo "fuzz: step took $((SECONDS - t0))s"
exit $status
