# csf-domain: analysis tests, bench, and the report checks run outside cargo test.
ANALYSIS_SAMPLES ?= $(or $(CARGO_TARGET_DIR),target)/analysis-samples
TRESTLE_VENV ?= .venv-trestle
.PHONY: test-analysis bench-analysis report-samples report-checks test-oscal

test-analysis: ## csf-domain tests (hand-computed fixtures, reports, exports)
	$(CARGO) test -p csf-domain

bench-analysis: data ## criterion: gap analysis and full HTML reports for 20 profiles x 106 entries
	$(CARGO) bench -p csf-domain --bench analysis

report-samples: data ## write sample reports and exports of an invented organisation to $(ANALYSIS_SAMPLES)
	"$$(bash scripts/cargo-bin.sh --example write_samples)" $(ANALYSIS_SAMPLES)

$(TRESTLE_VENV)/bin/trestle:
	python3 -m venv $(TRESTLE_VENV)
	$(TRESTLE_VENV)/bin/pip install -q compliance-trestle==3.12.4

test-oscal: report-samples $(TRESTLE_VENV)/bin/trestle ## OSCAL exports (with and without evidence-register links) through compliance-trestle
	$(TRESTLE_VENV)/bin/python tests/reports/check_oscal.py $(ANALYSIS_SAMPLES)/oscal-assessment-results.json
	$(TRESTLE_VENV)/bin/python tests/reports/check_oscal.py --evidence $(ANALYSIS_SAMPLES)/oscal-assessment-results-evidence.json

report-checks: test-oscal ## OSCAL export through compliance-trestle; HTML reports in headless Chromium
	tests/reports/check_html.sh $(ANALYSIS_SAMPLES)
