# Crash consistency (kill -9 during writes) and concurrent writers, through the real binary.
# The short forms run in `make test` (SQLite) and .ci/steps/25-crash-postgres.sh
# (PostgreSQL); `make crash` is the long form. Figures: results/reliability/crash.md.
.PHONY: crash test-crash-postgres

# The two modules of the server's test binary (server/tests/it). `--workspace` selects the same
# packages as `make test`, so cargo resolves the same dependency features and reuses that build
# (a narrower `-p` would rebuild the dependencies whose features differ); the other crates' test
# binaries run no test under these filters.
CRASH_TESTS := --workspace --test it
CRASH_FILTER := crash_consistency:: concurrent_writers::
CSF_CRASH_ROUNDS ?= 200
CSF_CRASH_PG_ROUNDS ?= 50

crash: ## long kill -9 run: CSF_CRASH_ROUNDS (200) on SQLite, CSF_CRASH_PG_ROUNDS (50) on a throwaway PostgreSQL, plus concurrent writers
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  with_pg="bash crates/store/scripts/with-postgres.sh"; \
	else \
	  echo "crash: no PostgreSQL server installed (apt-get install postgresql): SQLite only" >&2; \
	  with_pg=""; \
	fi; \
	log=$$(mktemp /tmp/csf-crash.XXXXXX.log); start=$$(date +%s); \
	CSF_CRASH_ROUNDS=$(CSF_CRASH_ROUNDS) CSF_CRASH_PG_ROUNDS=$(CSF_CRASH_PG_ROUNDS) \
	  $$with_pg $(CARGO) test --no-fail-fast $(CRASH_TESTS) -- --nocapture --test-threads=1 $(CRASH_FILTER) >$$log 2>&1; \
	status=$$?; \
	grep -E '(crash consistency \(|: (last-writer-wins|expected_version): |^test result|^LOST|^PARTIAL|skipped \()' $$log; \
	if [ $$status -ne 0 ]; then grep -E -A4 'panicked at' $$log; fi; \
	echo "crash: $$(( $$(date +%s) - start )) s, load average $$(cut -d' ' -f1-3 /proc/loadavg), $$(nproc) cores; full output in $$log"; \
	exit $$status

test-crash-postgres: ## crash and concurrency tests on a throwaway PostgreSQL (short form, as in CI)
	@bash crates/store/scripts/with-postgres.sh $(CARGO) test $(CRASH_TESTS) -- --nocapture crash_consistency::postgres concurrent_writers::postgres
