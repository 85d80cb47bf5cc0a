# Streamable HTTP transport: csf-transport tests, real HTTP clients, loopback bench.
.PHONY: test-http test-http-clients bench-http

test-http: ## csf-transport tests: auth matrix, rebinding, limits, ops, sockets, stdio flood
	$(CARGO) test -p csf-transport

test-http-clients: ## Python SDK + MCP Inspector over Streamable HTTP against the transport's test server
	bash scripts/test-http-clients.sh

bench-http: ## wrk on loopback: tools/call at c=64 (ours vs rmcp floor) and an overload run
	bash benches/scripts/wrk-transport.sh 10
