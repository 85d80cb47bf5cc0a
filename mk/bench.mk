# Benchmarks: csf-loadgen runs benches/scenarios/*.toml against our server and the rmcp
# floor side by side; results/<arch>/ holds rows, summary.md and the gate's baseline.
BENCH_TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
BENCH_ARCH := $(shell uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
LOADGEN := $(BENCH_TARGET_DIR)/release/csf-loadgen
BENCH_OURS ?= $(BENCH_TARGET_DIR)/release/nist-csf-mcp
BENCH_FLOOR := $(BENCH_TARGET_DIR)/release/rmcp-floor
BENCH_RESULTS ?= results/$(BENCH_ARCH)
BENCH_GATE_DIR ?= $(BENCH_TARGET_DIR)/bench-gate
BENCH_FLAGS = --ours $(BENCH_OURS) --floor $(BENCH_FLOOR) --work $(BENCH_TARGET_DIR)/bench-work

.PHONY: bench bench-build bench-gate bench-baseline

# Two cargo invocations on purpose: built together, cargo would unify features and the
# measured server would differ from the one `make release` ships.
bench-build: data
	$(CARGO) build --release -p nist-csf-mcp
	$(CARGO) build --release -p csf-loadgen

bench: bench-build ## standard benchmark profile (< 10 min): results/<arch>/*.json + one summary table
	-@$(LOADGEN) image-size $(wildcard dist/nist-csf-mcp-multiarch.oci.tar) --out $(BENCH_RESULTS)
	$(LOADGEN) run --profile standard --out $(BENCH_RESULTS) $(BENCH_FLAGS) benches/scenarios/*.toml; \
	  status=$$?; $(LOADGEN) history --results $(BENCH_RESULTS) && exit $$status

bench-gate: bench-build ## short profile, compared with results/<arch>/baseline.json + results/targets.toml
	@command -v valgrind >/dev/null || { echo "bench-gate: valgrind is required (apt-get install valgrind)"; exit 1; }
	@rm -rf $(BENCH_GATE_DIR)
	-@$(LOADGEN) image-size $(wildcard dist/nist-csf-mcp-multiarch.oci.tar) --out $(BENCH_GATE_DIR) --profile short
	@$(LOADGEN) run --profile short --out $(BENCH_GATE_DIR) $(BENCH_FLAGS) benches/scenarios/*.toml; \
	  status=$$?; \
	  $(LOADGEN) gate --results $(BENCH_GATE_DIR) --baseline $(BENCH_RESULTS)/baseline.json --targets results/targets.toml \
	  && exit $$status

bench-baseline: bench-build ## record a short-profile run as results/<arch>/baseline.json (commit it)
	@rm -rf $(BENCH_GATE_DIR)
	-@$(LOADGEN) image-size $(wildcard dist/nist-csf-mcp-multiarch.oci.tar) --out $(BENCH_GATE_DIR) --profile short
	$(LOADGEN) run --profile short --out $(BENCH_GATE_DIR) $(BENCH_FLAGS) benches/scenarios/*.toml
	$(LOADGEN) baseline --results $(BENCH_GATE_DIR) --out $(BENCH_RESULTS)/baseline.json
