# Registry statistics (docs/REGISTRY.md, "Registry statistics"). The scheduled workflow
# .github/workflows/registry-stats.yml runs the same three commands; the tests run in `make test`.
.PHONY: registry-collect registry-charts registry-check

REGISTRY_RECORD := results/tmp/registry-record.json

# collect exits 3 when a source failed: the record (with the error) is still appended, and the
# target fails afterwards so the failure is seen.
registry-collect: ## read Docker Hub, GHCR, GitHub releases (network; GITHUB_TOKEN for GHCR) into results/registry/
	@mkdir -p results/tmp
	@rc=0; python3 scripts/registry/collect.py collect --record $(REGISTRY_RECORD) || rc=$$?; \
	  if [ $$rc -ne 0 ] && [ $$rc -ne 3 ]; then exit $$rc; fi; \
	  python3 scripts/registry/collect.py append --record $(REGISTRY_RECORD) && \
	  python3 scripts/registry/collect.py render && exit $$rc

registry-charts: ## redraw results/registry/*.svg and summary.json from history.jsonl
	@python3 scripts/registry/collect.py render

registry-check: ## fail if results/registry/ charts do not match history.jsonl
	@python3 scripts/registry/collect.py render --check
