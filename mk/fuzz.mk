# Fuzzing (cargo-fuzz, nightly): six targets in fuzz/, run one after another (-jobs 1).
# Figures (runs, seconds, corpus, crashes) go to results/fuzz/latest.md; committed inputs are
# replayed under plain `cargo test` by server/tests/it/fuzz_regressions.rs.
FUZZ_SECONDS ?= 600
FUZZ_SHORT_SECONDS ?= 30
# Empty: every target (`cargo +nightly fuzz list` in fuzz/).
FUZZ_TARGETS ?=

.PHONY: fuzz fuzz-short fuzz-cmin fuzz-check-corpus

fuzz: data ## long fuzz run: FUZZ_SECONDS (600) s per target, figures to results/fuzz/latest.md
	bash fuzz/scripts/run.sh long $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-short: data ## short fuzz run (CI): FUZZ_SHORT_SECONDS (30) s per target
	bash fuzz/scripts/run.sh short $(FUZZ_SHORT_SECONDS) $(FUZZ_TARGETS)

fuzz-cmin: data ## minimise fuzz/corpus with the new inputs of past runs; drops files with NIST text
	bash fuzz/scripts/cmin.sh $(FUZZ_TARGETS)

fuzz-check-corpus: data ## fail if any committed fuzz input contains NIST catalog/reference text
	python3 fuzz/scripts/check_corpus_text.py fuzz/seeds fuzz/corpus fuzz/regressions
