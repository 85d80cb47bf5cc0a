# Floods and soak: csf-loadgen drives the release server on loopback only, for a
# bounded time. `make soak` is the long form (10 min, HTTP and stdio at the same time, each
# its own server and SQLite file); `make soak-short` and `make flood-quick` are what CI runs.
SOAK_TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
SOAK_LOADGEN := $(SOAK_TARGET_DIR)/release/csf-loadgen
SOAK_SERVER ?= $(SOAK_TARGET_DIR)/release/nist-csf-mcp
SOAK_ARCH := $(shell uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
SOAK_OUT ?= $(SOAK_TARGET_DIR)/soak

.PHONY: soak-build soak soak-short flood flood-quick

# The soak and floods drive the release server with the release loadgen: nothing else of
# bench-build (the static image binary, the floor) is needed, so CI need not keep or rebuild it.
soak-build: data
	$(CARGO) build --release -p nist-csf-mcp
	$(CARGO) build --release -p csf-loadgen --bin csf-loadgen

# The Markdown table goes to $(SOAK_OUT)/soak.md: results/reliability/soak.md is the curated
# record (with the longer runs that explain a slope), updated by hand from it.
soak: soak-build ## 10-min soak, HTTP + stdio at once: results/<arch>/soak.json (+ a Markdown table)
	$(SOAK_LOADGEN) soak --server $(SOAK_SERVER) --duration 600 \
	  --out results/$(SOAK_ARCH)/soak.json --md $(SOAK_OUT)/soak.md

# 80 s, HTTP + stdio at once. A run this short cannot tell a cache still filling from a slow
# leak, so the slope limit is wide (300 MiB/hour, about 0.7 KiB leaked per call at the
# 120 calls/s offered): it catches gross leaks and, above all, any wrong answer. The
# flat-RSS figure comes from `make soak`.
soak-short: soak-build ## 80-s soak (CI): every reply checked, gross leaks caught
	$(SOAK_LOADGEN) soak --server $(SOAK_SERVER) --duration 80 --window 20 \
	  --warmup-fraction 0.25 --max-slope-mib-per-hour 300 \
	  --out $(SOAK_OUT)/soak-short.json --md $(SOAK_OUT)/soak-short.md

flood: soak-build ## overload, rate/body limits, slowloris, connection holding, session hogging, label growth, stdio floods (standard sizes): results/<arch>/flood.json
	$(SOAK_LOADGEN) flood --server $(SOAK_SERVER) --out results/$(SOAK_ARCH)/flood.json

flood-quick: soak-build ## the flood checks at CI sizes (about 2 minutes)
	$(SOAK_LOADGEN) flood --quick --server $(SOAK_SERVER) --out $(SOAK_OUT)/flood-quick.json
