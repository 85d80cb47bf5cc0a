# nist-csf-mcp: one static binary on an empty base image (no shell, no package manager).
#
# The binary comes from one of two stages; both feed the same final stage:
#   BINARY_SOURCE=source    (default) for `docker build .` on a clean clone with no Rust on the
#                           host: compiles in a Rust stage running on the build host's own
#                           platform and cross-compiles to TARGETARCH (cargo-zigbuild), so an
#                           arm64 image never compiles under emulation.
#   BINARY_SOURCE=prebuilt  what `make image` uses: copies the static musl binaries that
#                           scripts/image/build-binaries.sh left in dist/stage/.
# Labels come from build args (make image and the release workflow set them).
ARG BINARY_SOURCE=source
ARG RUST_VERSION=1.95

FROM --platform=$BUILDPLATFORM docker.io/library/rust:${RUST_VERSION}-slim-bookworm AS binary-source
ARG TARGETARCH
# Debian's own current python3-venv/curl: the compiler toolchain itself is pinned by the
# script (ziglang and cargo-zigbuild versions in scripts/image/lib.sh).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-venv curl file \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash scripts/image/tools.sh --build-only "$TARGETARCH" \
 && bash scripts/image/build-binaries.sh "$TARGETARCH" \
 && mkdir -p /out/data \
 && cp "dist/stage/linux-$TARGETARCH/nist-csf-mcp" /out/nist-csf-mcp \
 && chown 10001:10001 /out/data

FROM scratch AS binary-prebuilt
ARG TARGETARCH
COPY dist/stage/linux-${TARGETARCH}/nist-csf-mcp /out/nist-csf-mcp
# An empty directory from the build context; --chown makes /data writable by the runtime
# user without a RUN (there is no shell to run one in).
COPY --chown=10001:10001 dist/stage/data /out/data

# hadolint ignore=DL3006
FROM binary-${BINARY_SOURCE} AS binary

FROM scratch
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
ARG SOURCE=https://github.com/nist-csf-mcp/nist-csf-mcp
LABEL org.opencontainers.image.title="nist-csf-mcp" \
      org.opencontainers.image.description="MCP server for the NIST Cybersecurity Framework 2.0 (stdio and Streamable HTTP)" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.url="${SOURCE}" \
      org.opencontainers.image.documentation="${SOURCE}/blob/main/docs/REGISTRY.md" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="scratch"
COPY --from=binary /out/ /
USER 10001:10001
# No CSF_HTTP_ADDR here on purpose: `--http` reads it, so an image-level value would turn
# `docker run -i IMAGE serve` (stdio) into HTTP with no way to unset it. The HTTP address is
# in CMD; the healthcheck probes 127.0.0.1:8080 unless CSF_HTTP_ADDR says otherwise.
ENV CSF_DB=/data/csf.db
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/nist-csf-mcp", "healthcheck"]
ENTRYPOINT ["/nist-csf-mcp"]
# HTTP by default (a non-loopback address needs CSF_AUTH=api-key or oauth: the server refuses
# to listen unauthenticated); `docker run -i --rm IMAGE serve` speaks MCP over stdio instead.
CMD ["serve", "--http", "0.0.0.0:8080"]
