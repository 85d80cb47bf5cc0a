# The link order of the release server (scripts/link/): the functions a stdio session runs,
# recorded with callgrind from each build (the glibc release build, the static image binary),
# built as shipped but not stripped. Record it again when start-up code changes a lot (a new
# dependency on the start-up path, a compiler upgrade): the bench gate's idle-memory rows show
# when functions have moved out of the lists.
LINK_PROFILE_DIR ?= target/link-profile
LINK_ARCH := $(shell uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
LINK_RECORD = python3 scripts/link/record-startup-order.py

.PHONY: link-order

link-order: data ## record scripts/link/startup-order.{gnu,musl}.txt from profiles of a stdio session (needs valgrind)
	@command -v valgrind >/dev/null || { echo "link-order: valgrind is required (apt-get install valgrind)"; exit 1; }
	@# The glibc list is for x86_64 builds (.cargo/config.toml sets v0 names and the wrapper there).
	@[ "$(LINK_ARCH)" = amd64 ] || { echo "link-order: record the lists on an x86_64 host"; exit 1; }
	CSF_LINK_ORDER=off CARGO_PROFILE_RELEASE_STRIP=false \
	  $(CARGO) build --release -p nist-csf-mcp --target-dir $(LINK_PROFILE_DIR)
	@bash scripts/image/tools.sh --build-only $(LINK_ARCH)
	CSF_LINK_ORDER=off CARGO_PROFILE_RELEASE_STRIP=false CARGO_TARGET_DIR=$(LINK_PROFILE_DIR) \
	  DIST=$(LINK_PROFILE_DIR)/dist bash scripts/image/build-binaries.sh $(LINK_ARCH)
	$(LINK_RECORD) $(LINK_PROFILE_DIR)/release/nist-csf-mcp > scripts/link/startup-order.gnu.txt.new
	$(LINK_RECORD) $(LINK_PROFILE_DIR)/dist/stage/linux-$(LINK_ARCH)/nist-csf-mcp \
	  > scripts/link/startup-order.musl.txt.new
	mv scripts/link/startup-order.gnu.txt.new scripts/link/startup-order.gnu.txt
	mv scripts/link/startup-order.musl.txt.new scripts/link/startup-order.musl.txt
	@echo "link-order: recorded; rebuild (make release, make image) to place them"
