# Bad-input suite: hostile arguments for every tool (generated from the input
# schemas), hostile stdio framing and hostile HTTP through the real binary. It runs in
# `make test`; this target runs only it and prints every call's outcome and refusal message.
.PHONY: bad-input

# The suite's modules in the server's test binary (tests/it): bad_input_{tools,stdio,http}.
BAD_INPUT_TESTS := -p nist-csf-mcp --test it

bad-input: ## bad-input suite alone, every outcome and message printed (BAD_INPUT_VERBOSE)
	BAD_INPUT_VERBOSE=1 $(CARGO) test $(BAD_INPUT_TESTS) -- --nocapture bad_input_
