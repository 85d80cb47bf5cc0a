# csf-store (persistence): SQLite always; PostgreSQL on a throwaway loopback server.
.PHONY: test-store test-store-postgres

test-store: ## csf-store tests on SQLite, incl. multi-process and kill -9 (PostgreSQL half skipped visibly)
	$(CARGO) test -p csf-store

test-store-postgres: ## csf-store tests (with postgres-tls) also on a throwaway PostgreSQL (needs Debian postgresql, openssl)
	@bash crates/store/scripts/with-postgres.sh $(CARGO) test -p csf-store --features postgres-tls
