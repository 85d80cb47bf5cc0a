# Container images (see docs/REGISTRY.md). buildah only: no Docker engine needed.
.PHONY: image image-tools image-binaries image-build image-verify image-lint image-deny image-docs sbom

image: data ## static musl binaries + amd64/arm64 images + OCI/docker archives in dist/
	@bash scripts/image/tools.sh
	@bash scripts/image/build-binaries.sh
	@bash scripts/image/build-images.sh

image-tools:
	@bash scripts/image/tools.sh

image-binaries: data image-tools ## cross-compile the static binaries (cargo-zigbuild) into dist/stage/
	@bash scripts/image/build-binaries.sh

image-build: ## images, manifest list and archives from dist/stage/ (buildah, timestamp 0)
	@bash scripts/image/build-images.sh

image-verify: ## check the archives (size, user, no shell, initialize, healthcheck); write results/<arch>/image.json
	@bash scripts/image/verify.sh

image-docs: ## refresh the measured figures in docs/REGISTRY.md from results/<arch>/image.json
	@python3 scripts/image/docs-figures.py --write

image-lint: ## hadolint on the Dockerfile, actionlint on the workflows, YAML of deploy/
	@bash scripts/image/tools.sh --lint
	@bash scripts/image/lint.sh

image-deny: ## cargo deny (licenses, bans, sources), offline
	@bash scripts/image/deny.sh

sbom: ## CycloneDX SBOM of the server's dependency graph in dist/sbom/
	@bash scripts/image/sbom.sh
