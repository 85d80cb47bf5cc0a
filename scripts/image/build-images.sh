#!/usr/bin/env bash
# Builds the per-arch images from dist/stage/ with buildah (no Docker engine needed), a
# multi-arch manifest list, and the archives of the offline path:
#   dist/nist-csf-mcp-<arch>.oci.tar      OCI archive, one platform  (podman load, skopeo copy)
#   dist/nist-csf-mcp-multiarch.oci.tar   OCI archive, manifest list (skopeo copy --all)
#   dist/nist-csf-mcp-<arch>.docker.tar   docker-archive             (docker load, podman load)
# --timestamp 0 makes the output reproducible: same binaries in, same digests out.
# Run scripts/image/build-binaries.sh first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/image/lib.sh

version=$(product_version)
# IMAGE_REVISION / IMAGE_CREATED let a caller pin the labels across builds (the CI
# reproducibility re-check does: a commit or an edit in between would change them).
revision=${IMAGE_REVISION:-$(git_revision)}
created=${IMAGE_CREATED:-$(git_created)}
tag=v$version
list=$IMAGE_NAME:$tag

common=(--isolation chroot --timestamp 0 --layers=false
        --build-arg BINARY_SOURCE=prebuilt
        --build-arg "VERSION=$version" --build-arg "REVISION=$revision"
        --build-arg "CREATED=$created")

t0=$SECONDS
mkdir -p "$DIST"
buildah_vfs manifest rm "$list" >/dev/null 2>&1 || true
buildah_vfs manifest create "$list" >/dev/null
for arch in "${IMAGE_ARCHES[@]}"; do
  [ -x "$STAGE/linux-$arch/nist-csf-mcp" ] || {
    echo "image: $STAGE/linux-$arch/nist-csf-mcp missing: run scripts/image/build-binaries.sh" >&2
    exit 1; }
  img=$IMAGE_NAME:$tag-$arch
  # Docker format keeps HEALTHCHECK in the image config (the OCI config has no such field).
  buildah_vfs bud --quiet "${common[@]}" --format docker --platform "linux/$arch" -t "$img" . >/dev/null
  variant=()
  [ "$arch" = arm64 ] && variant=(--variant v8)
  buildah_vfs manifest add "${variant[@]}" "$list" "containers-storage:$img" >/dev/null
  rm -f "$(oci_archive "$arch")" "$(docker_archive "$arch")"
  buildah_vfs push --quiet --format oci "$img" "oci-archive:$(oci_archive "$arch"):$img"
  buildah_vfs push --quiet "$img" "docker-archive:$(docker_archive "$arch"):$img"
done
rm -f "$(oci_archive multiarch)"
buildah_vfs manifest push --quiet --all --format oci "$list" "oci-archive:$(oci_archive multiarch):$list"
# Drop the untagged leftovers of earlier builds so vfs storage does not grow without bound.
buildah_vfs rmi --prune >/dev/null 2>&1 || true
echo "image: built $IMAGE_NAME $tag (revision $revision) in $((SECONDS - t0))s"

# Sizes: compressed = the gzip layers of one platform (csf-loadgen's image-size counts the same).
printf '%-8s %12s %12s %14s %16s  %s\n' arch compressed binary oci.tar docker.tar manifest
for arch in "${IMAGE_ARCHES[@]}"; do
  ref="oci-archive:$(oci_archive "$arch"):$IMAGE_NAME:$tag-$arch"
  raw=$(skopeo inspect --raw "$ref")
  compressed=$(jq '[.layers[].size] | add' <<<"$raw")
  digest=sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)
  printf '%-8s %12s %12s %14s %16s  %s\n' "$arch" "$compressed" \
    "$(stat -c %s "$STAGE/linux-$arch/nist-csf-mcp")" \
    "$(stat -c %s "$(oci_archive "$arch")")" "$(stat -c %s "$(docker_archive "$arch")")" "$digest"
done
echo "multi-arch: $(oci_archive multiarch) $(stat -c %s "$(oci_archive multiarch)") bytes, platforms:" \
  "$(skopeo inspect --raw "oci-archive:$(oci_archive multiarch):$list" \
      | jq -r '[.manifests[].platform | "\(.os)/\(.architecture)\(if .variant then "/"+.variant else "" end)"] | join(" ")')"
