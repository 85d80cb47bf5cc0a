#!/usr/bin/env bash
# Checks the images `make image` left in dist/, for every architecture, from the archives
# (what a user loads), and writes the measurements to results/<arch>/image.json.
#   - compressed size (the gzip layers, as csf-loadgen's image-size counts it) <= IMAGE_MAX_BYTES;
#     the pull size (manifest + config + layers) is recorded too
#   - config User is 10001:10001, not root; platform matches; HEALTHCHECK in the docker archive
#   - the root fs holds the binary and /data (owned by 10001) and nothing else: no shell
#   - the binary is static and answers an MCP initialize on stdin (arm64 under qemu-aarch64-static)
#   - when the binary has `serve --http` / `healthcheck`: /healthz, /readyz, POST /mcp initialize,
#     and `healthcheck` exits 0 with the server up and non-zero with it down (else: SKIP, said
#     so; IMAGE_REQUIRE_HTTP=1 turns the SKIP into a failure)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/image/lib.sh

IMAGE_MAX_BYTES=${IMAGE_MAX_BYTES:-4000000} # the issue's target: 4 MB compressed
RESULTS_DIR=${IMAGE_RESULTS_DIR:-results}
START_RUNS=${IMAGE_START_RUNS:-21}
version=$(product_version)
tag=v$version
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "image-verify: FAIL ($arch): $*" >&2; exit 1; }
ok() { echo "image-verify: ok   ($arch): $*"; }
skip() { echo "image-verify: SKIP ($arch): $*"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# initialize over stdio; prints the reply line (the server exits when stdin closes).
init_req='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"csf-image-verify","version":"1"}}}'
stdio_initialize() {
  printf '%s\n' "$init_req" | CSF_DB="$work/stdio.db" timeout 60 "${run[@]}" "$bin" serve 2>"$work/stdio.err" \
    | jq -c 'select(.id == 1)' | head -1
}

http_checks() {
  local port addr i
  port=$(free_port)
  addr=127.0.0.1:$port
  CSF_DB="$work/http.db" CSF_HTTP_ADDR=$addr "${run[@]}" "$bin" serve --http "$addr" \
    >"$work/http.out" 2>"$work/http.err" &
  server_pid=$!
  for i in $(seq 1 100); do
    curl -fsS -o /dev/null "http://$addr/healthz" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/http.err" >&2; fail "HTTP server exited"; }
    sleep 0.1
  done
  [ "$i" -lt 100 ] || fail "/healthz did not answer within 10s"
  curl -fsS -o /dev/null "http://$addr/readyz" || fail "/readyz did not answer 2xx"
  local reply
  reply=$(curl -fsS "http://$addr/mcp" -H 'content-type: application/json' \
    -H 'accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"csf-image-verify","version":"1"}}}' \
    | sed -n 's/^data: //p; /^{/p' | head -1)
  jq -e '.id == 1 and (.result.serverInfo.name | length > 0)' <<<"$reply" >/dev/null \
    || fail "POST /mcp initialize: unexpected reply: $reply"
  ok "HTTP: /healthz, /readyz and POST /mcp initialize answer"
  if "${run[@]}" "$bin" --help 2>&1 | grep -qw healthcheck; then
    CSF_HTTP_ADDR=$addr timeout 30 "${run[@]}" "$bin" healthcheck >/dev/null 2>&1 \
      || fail "healthcheck exited non-zero with the server up"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
    if CSF_HTTP_ADDR=$addr timeout 30 "${run[@]}" "$bin" healthcheck >/dev/null 2>&1; then
      fail "healthcheck exited 0 with the server down"
    fi
    ok "healthcheck: exit 0 with the server up, non-zero with it down"
    healthcheck=ok
  elif [ "${IMAGE_REQUIRE_HTTP:-0}" = 1 ]; then
    fail "binary has no 'healthcheck' subcommand (IMAGE_REQUIRE_HTTP=1)"
  else
    skip "binary has no 'healthcheck' subcommand yet: image HEALTHCHECK not exercised"
    healthcheck="skipped: no healthcheck subcommand"
  fi
  [ -z "$server_pid" ] || { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }
}

for arch in "${IMAGE_ARCHES[@]}"; do
  img=$IMAGE_NAME:$tag-$arch
  archive=$(oci_archive "$arch")
  [ -f "$archive" ] || fail "$archive missing: run make image"
  d=$work/$arch
  mkdir -p "$d/oci" "$d/rootfs"
  tar -xf "$archive" -C "$d/oci"
  blob() { echo "$d/oci/blobs/${1/://}"; }
  manifest_digest=$(jq -r '.manifests[0].digest' "$d/oci/index.json")
  manifest=$(blob "$manifest_digest")
  config=$(blob "$(jq -r .config.digest "$manifest")")

  compressed=$(jq '[.layers[].size] | add' "$manifest")
  pull=$(( compressed + $(jq .config.size "$manifest") + $(stat -c %s "$manifest") ))
  layers=$(jq '.layers | length' "$manifest")
  [ "$compressed" -le "$IMAGE_MAX_BYTES" ] \
    || fail "compressed size $compressed B exceeds $IMAGE_MAX_BYTES B"
  ok "compressed size $compressed B <= $IMAGE_MAX_BYTES B ($layers layer(s); pull $pull B)"

  [ "$(jq -r .architecture "$config")/$(jq -r .os "$config")" = "$arch/linux" ] \
    || fail "config platform is $(jq -r .os "$config")/$(jq -r .architecture "$config")"
  user=$(jq -r '.config.User // ""' "$config")
  [ "$user" = "10001:10001" ] || fail "config User is '$user', expected 10001:10001"
  ok "runs as $user (non-root), platform linux/$arch"
  # The docker archive's own config (skopeo inspect --config would show it converted to OCI,
  # which has no Healthcheck field).
  darchive=$(docker_archive "$arch")
  dconfig=$(tar -xOf "$darchive" manifest.json | jq -r '.[0].Config')
  tar -xOf "$darchive" "$dconfig" \
    | jq -e '.config.Healthcheck.Test == ["CMD", "/nist-csf-mcp", "healthcheck"]
             and .config.User == "10001:10001"' >/dev/null \
    || fail "docker archive lacks the HEALTHCHECK or the user"
  ok "docker archive carries HEALTHCHECK [/nist-csf-mcp healthcheck]"

  # Root fs: every entry of every layer, with owners. Only the binary and /data may exist.
  uncompressed=0
  : >"$d/listing"
  for digest in $(jq -r '.layers[].digest' "$manifest"); do
    tar -tvzf "$(blob "$digest")" >>"$d/listing"
    tar -xzf "$(blob "$digest")" -C "$d/rootfs"
    uncompressed=$((uncompressed + $(gzip -dc "$(blob "$digest")" | wc -c)))
  done
  entries=$(awk '{print $NF}' "$d/listing" | sed 's#^\./##; s#/$##' | sort -u | tr '\n' ' ')
  [ "$entries" = "data nist-csf-mcp " ] || fail "unexpected root fs entries: $entries"
  [ ! -e "$d/rootfs/bin/sh" ] || fail "/bin/sh present"
  grep -E ' data/?$' "$d/listing" | grep -q ' 10001/10001 ' || fail "/data is not owned by 10001"
  ok "root fs = {/nist-csf-mcp, /data (10001:10001)}: no shell, no package manager"

  bin=$d/rootfs/nist-csf-mcp
  file -b "$bin" | grep -q 'statically linked' || fail "binary is not static: $(file -b "$bin")"
  # cargo-auditable's dependency list (section .dep-v0), read by trivy/syft/cargo-audit.
  if readelf -S "$bin" 2>/dev/null | grep -q '\.dep-v0'; then
    auditable=true
    ok "static binary; dependency list embedded (cargo-auditable .dep-v0)"
  elif [ "${IMAGE_REQUIRE_AUDITABLE:-0}" = 1 ]; then
    fail "no .dep-v0 section: build with cargo-auditable installed"
  else
    auditable=false
    skip "static binary; no embedded dependency list (cargo-auditable not installed)"
  fi
  if [ "$arch" = amd64 ]; then run=(); runner=native; else run=(qemu-aarch64-static); runner=qemu-aarch64-static; fi
  [ "$(uname -m)" = aarch64 ] && [ "$arch" = arm64 ] && { run=(); runner=native; }
  [ "$(uname -m)" = aarch64 ] && [ "$arch" = amd64 ] && { run=(qemu-x86_64-static); runner=qemu-x86_64-static; }
  version_line=$("${run[@]}" "$bin" --version 2>&1 | head -1) || fail "--version failed: $version_line"
  reply=$(stdio_initialize) || true
  jq -e '.result.protocolVersion and (.result.serverInfo.name | length > 0)' <<<"$reply" >/dev/null 2>&1 \
    || { cat "$work/stdio.err" >&2; fail "stdio initialize: no valid reply (got: '${reply}')"; }
  protocol=$(jq -r .result.protocolVersion <<<"$reply")
  ok "static binary answers initialize over stdio ($runner): protocol $protocol, '$version_line'"

  # The image itself, not just its binary: run the entrypoint in the image's root fs as its
  # configured user (buildah run, chroot isolation; only for the host's own architecture, as
  # there is no binfmt emulation here).
  if [ "$runner" = native ] && buildah_vfs inspect --type image "$img" >/dev/null 2>&1; then
    ctr=$(buildah_vfs from --pull-never "$img")
    reply=$(printf '%s\n' "$init_req" | timeout 60 buildah_vfs run --isolation chroot "$ctr" -- \
      /nist-csf-mcp serve 2>"$work/run.err" | jq -c 'select(.id == 1)' | head -1) || true
    buildah_vfs rm "$ctr" >/dev/null
    jq -e '.result.protocolVersion' <<<"$reply" >/dev/null 2>&1 \
      || { cat "$work/run.err" >&2; fail "the image's entrypoint did not answer initialize"; }
    ok "the image runs: entrypoint answers initialize as user $user in its own root fs (buildah run)"
    image_run=ok
  else
    image_run="skipped: not the host architecture"
  fi

  # Start and memory, native runs only (numbers under qemu say nothing about arm64 hardware).
  if [ "$runner" = native ]; then
    start_json=$(python3 scripts/image/stdio_start.py "$bin" "$START_RUNS") \
      || fail "initialize failed during the start measurement"
    ok "stdio start: $(jq -r '"initialize reply after \(.initialize_reply_median_us) us, exited \(.exit_after_eof_median_us) us after spawn, peak RSS \(.peak_rss_median_kib) KiB (medians of \(.runs))"' <<<"$start_json")"
  else
    start_json=null
  fi

  if "${run[@]}" "$bin" serve --help 2>&1 | grep -q -- '--http'; then
    http_checks
    http=ok
  elif [ "${IMAGE_REQUIRE_HTTP:-0}" = 1 ]; then
    fail "binary has no 'serve --http' (IMAGE_REQUIRE_HTTP=1)"
  else
    skip "binary has no 'serve --http' yet: HTTP, /healthz, /readyz and healthcheck not exercised"
    http="skipped: no serve --http"
    healthcheck="skipped: no serve --http"
  fi

  mkdir -p "$RESULTS_DIR/$arch"
  jq -n --arg arch "$arch" --arg image "$img" --arg manifest "$manifest_digest" \
    --argjson compressed "$compressed" --argjson pull "$pull" --argjson layers "$layers" \
    --argjson uncompressed "$uncompressed" --argjson binary "$(stat -c %s "$bin")" \
    --argjson oci_archive "$(stat -c %s "$archive")" \
    --argjson docker_archive "$(stat -c %s "$(docker_archive "$arch")")" \
    --argjson auditable "$auditable" --argjson limit "$IMAGE_MAX_BYTES" --arg user "$user" --arg runner "$runner" \
    --arg protocol "$protocol" --arg version "$version_line" --arg http "$http" \
    --arg healthcheck "$healthcheck" --arg image_run "$image_run" \
    --arg git "$(jq -r '.config.Labels["org.opencontainers.image.revision"]' "$config")" \
    --argjson start "$start_json" \
    --arg rustc "$(rustc --version)" --arg buildah "$(buildah --version)" \
    --arg host "$(uname -m)" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --arg loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson nproc "$(nproc)" \
    '{kind: "image", arch: $arch, image: $image, manifest_digest: $manifest,
      compressed_bytes: $compressed, pull_bytes: $pull, limit_bytes: $limit, layers: $layers,
      uncompressed_bytes: $uncompressed, binary_bytes: $binary,
      oci_archive_bytes: $oci_archive, docker_archive_bytes: $docker_archive,
      user: $user, shell_present: false, auditable: $auditable,
      stdio_start: $start,
      checks: {stdio_initialize: ("ok, protocol " + $protocol), runner: $runner,
               image_run: $image_run,
               http: $http, healthcheck: $healthcheck},
      binary_version: $version, git_sha: $git, rustc: $rustc, buildah: $buildah,
      host_arch: $host, host_nproc: $nproc, loadavg_at_end: $loadavg, measured_at: $at}' >"$RESULTS_DIR/$arch/image.json"
  echo "image-verify: wrote $RESULTS_DIR/$arch/image.json"
done
echo "image-verify: all checks passed for ${IMAGE_ARCHES[*]}"
