# Benchmarks: csf-loadgen runs benches/scenarios/*.toml against both builds of our server
# (`make release`, glibc; the image's static musl binary) and the rmcp floor (a minimal rmcp
# server built the way the image binary is) side by side; results/<arch>/ holds rows,
# summary.md and the gate's baseline. Every median and ratio carries a bootstrap interval.
BENCH_TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
BENCH_ARCH := $(shell uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
LOADGEN := $(BENCH_TARGET_DIR)/release/csf-loadgen
BENCH_OURS ?= $(BENCH_TARGET_DIR)/release/nist-csf-mcp
BENCH_OURS_STATIC ?= dist/stage/linux-$(BENCH_ARCH)/nist-csf-mcp
BENCH_FLOOR ?= dist/stage/floor-linux-$(BENCH_ARCH)/rmcp-floor
BENCH_RESULTS ?= results/$(BENCH_ARCH)
BENCH_GATE_DIR ?= $(BENCH_TARGET_DIR)/bench-gate
BENCH_FLAGS = --ours $(BENCH_OURS) --ours-static $(BENCH_OURS_STATIC) --floor $(BENCH_FLOOR) \
  --work $(BENCH_TARGET_DIR)/bench-work
BENCH_IMAGE ?= $(wildcard dist/nist-csf-mcp-multiarch.oci.tar)

.PHONY: bench bench-build bench-gate bench-gate-proof bench-baseline

# Separate cargo invocations on purpose: built together, cargo would unify features and the
# measured server would differ from the one `make release` ships. The static server and the
# floor are built by the image's script for this machine's architecture only.
bench-build: data
	$(CARGO) build --release -p nist-csf-mcp
	$(CARGO) build --release -p csf-loadgen --bin csf-loadgen
	@bash scripts/image/tools.sh --build-only $(BENCH_ARCH)
	@bash scripts/image/build-binaries.sh $(BENCH_ARCH)
	@bash scripts/image/build-binaries.sh --floor $(BENCH_ARCH)

bench: bench-build ## standard benchmark profile (< 10 min): results/<arch>/*.json + one summary table
	-@$(LOADGEN) image-size $(BENCH_IMAGE) --out $(BENCH_RESULTS)
	$(LOADGEN) run --profile standard --out $(BENCH_RESULTS) $(BENCH_FLAGS) benches/scenarios/*.toml; \
	  status=$$?; $(LOADGEN) history --results $(BENCH_RESULTS) && exit $$status

bench-gate: bench-build ## short profile, compared with results/<arch>/baseline.json + results/targets.toml
	@command -v valgrind >/dev/null || { echo "bench-gate: valgrind is required (apt-get install valgrind)"; exit 1; }
	@rm -rf $(BENCH_GATE_DIR)
	-@$(LOADGEN) image-size $(BENCH_IMAGE) --out $(BENCH_GATE_DIR) --profile short
	@$(LOADGEN) run --profile short --out $(BENCH_GATE_DIR) $(BENCH_FLAGS) benches/scenarios/*.toml; \
	  status=$$?; \
	  $(LOADGEN) gate --results $(BENCH_GATE_DIR) --baseline $(BENCH_RESULTS)/baseline.json --targets results/targets.toml \
	  && exit $$status

bench-baseline: bench-build ## record a short-profile run as results/<arch>/baseline.json (commit it)
	@rm -rf $(BENCH_GATE_DIR)
	-@$(LOADGEN) image-size $(BENCH_IMAGE) --out $(BENCH_GATE_DIR) --profile short
	$(LOADGEN) run --profile short --out $(BENCH_GATE_DIR) $(BENCH_FLAGS) benches/scenarios/*.toml
	$(LOADGEN) baseline --results $(BENCH_GATE_DIR) --out $(BENCH_RESULTS)/baseline.json

# The acceptance proof of the gate on what ships: each shipped binary (glibc release, static
# image binary) is measured twice (cold start, idle memory); the rerun must pass, and the same
# rerun with its start-up page faults or idle PSS 10% higher must fail, decided on intervals.
# `make test` runs the same test on the floor server only (no release build there).
# Selected from the whole workspace, as `make test` builds it, so that the test binaries of
# `make test` are reused (with `-p csf-loadgen` alone, cargo resolves other features and
# recompiles loadgen's dependencies); only loadgen's binary holds the test.
GATE_PROOF_TEST = $(CARGO) test --workspace --test it -- --exact gate::rerun_passes_and_a_ten_percent_regression_fails
bench-gate-proof: bench-build ## the gate passes a rerun of each shipped binary and fails its 10% start-up/memory regression
	CSF_GATE_SERVER=$(abspath $(BENCH_OURS)) $(GATE_PROOF_TEST)
	CSF_GATE_SERVER=$(abspath $(BENCH_OURS_STATIC)) $(GATE_PROOF_TEST)
