# nist-csf-mcp — developer entry points. Area-specific targets live in mk/*.mk.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
BIN := target/release/nist-csf-mcp

.PHONY: help data build release run run-stdio test test-rust test-tooling test-clients test-console lint test-layout module-cycles fmt clean readme-tools

help: ## list targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

data: ## place NIST's CSF 2.0 catalog under data/ (sha256-checked)
	@bash scripts/fetch-data.sh

build: data ## debug build of the workspace
	$(CARGO) build --workspace

release: data ## optimised server binary at target/release/nist-csf-mcp
	@report=$$(mktemp); CSF_LINK_ORDER_REPORT=$$report $(CARGO) build --release -p nist-csf-mcp; \
	  status=$$?; sed 's|^.*/deps/|release: link order: |' $$report; rm -f $$report; exit $$status

run: release ## serve MCP and the web console over HTTP on 127.0.0.1:8080 (embedded SQLite); prints both addresses
	@$(BIN) serve --http 127.0.0.1:8080

run-stdio: release ## serve MCP over stdio (what desktop clients launch)
	@$(BIN) serve

test: data test-rust test-tooling test-oscal test-clients test-console ## all tests: unit, fidelity, real MCP clients, the console in a browser

test-rust: ## Rust tests: one integration-test binary per crate (tests/it), unit tests, examples
	$(CARGO) test --workspace --all-targets

test-tooling: ## build-tooling tests (the Reference Tool converter)
	python3 -m unittest discover -s tests/tooling -p 'test_*.py'

readme-tools: build ## regenerate the README's tool table from the registry
	bash scripts/readme-tools.sh

test-clients: release ## drive the release binary with real MCP clients (Python SDK, Inspector)
	@bash scripts/test-clients.sh

test-console: release ## drive the web console in headless Chromium (Playwright, axe-core)
	@bash scripts/test-console.sh

lint: data test-layout module-cycles ## test layout, module cycles, rustfmt check and clippy with warnings denied
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-layout: ## fail when a crate has a test binary other than its one tests/it
	@python3 scripts/check-test-layout.py

module-cycles: ## fail when sibling modules of a crate depend on each other in a cycle
	@python3 scripts/check-module-cycles.py

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf dist

-include mk/*.mk
