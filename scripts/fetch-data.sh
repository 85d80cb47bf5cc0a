#!/usr/bin/env bash
# Places NIST's official CSF 2.0 OSCAL catalog at data/nist-csf-2.0/, sha256-checked.
# Source order: $CSF_CATALOG, then ../shared/data/nist-csf-2.0/, then NIST's official URL.
# Nothing here is committed: data/ is ignored by git (see DEVELOPERS.md, "the data rule").
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=NIST_CSF_v2.0_catalog.json
SHA256=4836943f21d393f2821df85ada4e6f3c0617243b4ddf44263fe68205400210b4
URL=https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/CSF/v2.0/json/$NAME
DEST=data/nist-csf-2.0
SHARED=../shared/data/nist-csf-2.0

mkdir -p "$DEST"
have_ok() { [ -f "$1" ] && echo "$SHA256  $1" | sha256sum --check --status; }

if have_ok "$DEST/$NAME"; then
  echo "data: $DEST/$NAME present (sha256 ok)"
else
  tmp=$(mktemp "$DEST/.$NAME.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  if [ -n "${CSF_CATALOG:-}" ]; then
    src="$CSF_CATALOG"; cp "$src" "$tmp"
  elif [ -f "$SHARED/$NAME" ]; then
    src="$SHARED/$NAME"; cp "$src" "$tmp"
  else
    src="$URL"
    echo "data: downloading $URL"
    curl -fsSL --retry 3 -o "$tmp" "$URL" || {
      echo "error: could not download the catalog from $URL." >&2
      echo "       Download it by hand and run: CSF_CATALOG=/path/to/$NAME make data" >&2
      exit 1; }
  fi
  if ! echo "$SHA256  $tmp" | sha256sum --check --status; then
    echo "error: $src does not have the expected sha256 $SHA256" >&2
    echo "       (got $(sha256sum "$tmp" | cut -d' ' -f1))." >&2
    echo "       Use NIST's catalog version 1.2.0 from $URL, or fix \$CSF_CATALOG." >&2
    exit 1
  fi
  mv "$tmp" "$DEST/$NAME"; trap - EXIT
  echo "data: $DEST/$NAME from $src (sha256 ok)"
fi
for f in scripts/data.d/*.sh; do [ -f "$f" ] && bash "$f"; done
exit 0
