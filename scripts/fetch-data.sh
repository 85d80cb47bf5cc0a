#!/usr/bin/env bash
# Places NIST's official CSF 2.0 OSCAL catalog and NIST's informative references (OLIR extract)
# at data/nist-csf-2.0/, sha256-checked. Source order for each: $CSF_CATALOG / $CSF_REFERENCES,
# then ../shared/data/nist-csf-2.0/, then NIST's official location.
# Nothing here is committed: data/ is ignored by git (see DEVELOPERS.md, "the data rule").
set -euo pipefail
cd "$(dirname "$0")/.."

DEST=data/nist-csf-2.0
SHARED=../shared/data/nist-csf-2.0
mkdir -p "$DEST"

ok() { [ -f "$1" ] && echo "$2  $1" | sha256sum --check --status; }

# place NAME SHA256 ENV_VAR FETCH_FUNCTION: the first of $ENV_VAR, ../shared, FETCH_FUNCTION.
place() {
  local name=$1 sha=$2 var=$3 fetch=$4 src tmp
  if ok "$DEST/$name" "$sha"; then echo "data: $DEST/$name present (sha256 ok)"; return; fi
  tmp=$(mktemp "$DEST/.$name.XXXXXX")
  if [ -n "${!var:-}" ]; then src=${!var}; cp "$src" "$tmp"
  elif [ -f "$SHARED/$name" ]; then src=$SHARED/$name; cp "$src" "$tmp"
  else src="NIST (online)"; "$fetch" "$tmp" || { rm -f "$tmp"; exit 1; }
  fi
  if ! ok "$tmp" "$sha"; then
    echo "error: $src does not have the expected sha256 $sha" >&2
    echo "       (got $(sha256sum "$tmp" | cut -d' ' -f1)). See the README's Data section;" >&2
    echo "       point \$$var at the pinned file, or remove $DEST/$name and run make data again." >&2
    rm -f "$tmp"; exit 1
  fi
  mv "$tmp" "$DEST/$name"
  echo "data: $DEST/$name from $src (sha256 ok)"
}

CATALOG_URL=https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/CSF/v2.0/json/NIST_CSF_v2.0_catalog.json
fetch_catalog() {
  echo "data: downloading $CATALOG_URL"
  curl -fsSL --retry 3 -o "$1" "$CATALOG_URL" || {
    echo "error: could not download the catalog from $CATALOG_URL." >&2
    echo "       Download it by hand and run: CSF_CATALOG=/path/to/NIST_CSF_v2.0_catalog.json make data" >&2
    return 1; }
}

# NIST's CSF 2.0 Reference Tool response holds the informative references; we extract NIST's
# own datasets with scripts/olir_extract.py. NIST may have changed the data since the pinned
# extract: then the sha256 check below says so instead of building on unverified data.
REFTOOL_URL=https://csrc.nist.gov/extensions/nudp/services/json/csf/elements
fetch_references() {
  local json; json=$(mktemp)
  echo "data: downloading $REFTOOL_URL"
  if ! curl -fsSL --retry 3 -o "$json" "$REFTOOL_URL"; then
    rm -f "$json"
    echo "error: could not download NIST's Reference Tool data from $REFTOOL_URL." >&2
    echo "       Run: CSF_REFERENCES=/path/to/csf-2.0-informative-references.csv make data" >&2
    return 1
  fi
  python3 scripts/olir_extract.py "$json" "$1"; local rc=$?; rm -f "$json"; return $rc
}

place NIST_CSF_v2.0_catalog.json 4836943f21d393f2821df85ada4e6f3c0617243b4ddf44263fe68205400210b4 CSF_CATALOG fetch_catalog
place csf-2.0-informative-references.csv e02dc62c2b9fe4c11121ba76af7e683f296fd308627e4f578b6e4536ef6df874 CSF_REFERENCES fetch_references
exit 0
