#!/usr/bin/env bash
# Minimises each target's corpus: merges the committed corpus and the new inputs found by runs
# (fuzz/work/corpus) into the smallest set with the same coverage (libFuzzer -merge=1), drops
# copies of the hand-written seeds (always replayed anyway) and any file with NIST text, and
# replaces fuzz/corpus/<target> with the result.
#   fuzz/scripts/cmin.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(cargo +nightly fuzz list)
sanitizer=${FUZZ_SANITIZER:-address}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
for t in "${targets[@]}"; do
  mkdir -p "work/corpus/$t" "corpus/$t" "seeds/$t"
  out=work/cmin/$t
  rm -rf "$out"; mkdir -p "$out"
  cargo +nightly fuzz run --sanitizer "$sanitizer" "$t" "$out" "corpus/$t" "work/corpus/$t" -- \
    -merge=1 -max_len="${FUZZ_MAX_LEN:-4096}" -timeout=10 -rss_limit_mb=2048 > "work/cmin-$t.log" 2>&1
  # libFuzzer names inputs by their SHA-1: a seed's copy has its seed's hash.
  for seed in "seeds/$t"/*; do
    [ -f "$seed" ] && rm -f "$out/$(sha1sum "$seed" | cut -d' ' -f1)"
  done
  python3 scripts/check_corpus_text.py --drop "$out"
  rm -rf "corpus/$t"; mv "$out" "corpus/$t"
  echo "cmin: $t -> $(find "corpus/$t" -type f | wc -l) files, $(du -sb "corpus/$t" | cut -f1) bytes"
done
