# csf-store (persistence): SQLite always; PostgreSQL on a throwaway loopback server.
.PHONY: test-store test-store-postgres

test-store: ## csf-store tests on SQLite, incl. multi-process and kill -9 (PostgreSQL half skipped visibly)
	$(CARGO) test -p csf-store

# Only the tests about PostgreSQL (the suite, TLS, the TLS unit tests): the SQLite half ran in
# `make test`, and a build with postgres-tls is needed here anyway. No doc tests: none is about
# PostgreSQL, and each would be compiled again with the feature.
test-store-postgres: ## the PostgreSQL tests (store suite with postgres-tls; server tests such as two replicas on one database) on a throwaway PostgreSQL (needs Debian postgresql, openssl)
	@bash crates/store/scripts/with-postgres.sh $(CARGO) test -p csf-store --features postgres-tls --lib --test it -- postgres
	@# Selected from the whole workspace, as `make test` builds it, so its test binaries are reused
	@# (`-p nist-csf-mcp` alone resolves other features and recompiles); filtered to PostgreSQL.
	@bash crates/store/scripts/with-postgres.sh $(CARGO) test --workspace --test it -- postgres
