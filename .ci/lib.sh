# shellcheck shell=bash
# Shared helpers for .ci/run and .ci/steps/*.sh (sourced, not executed).
step() {
  local name=$1; shift
  local t0=$SECONDS
  echo "::group:: $name"
  "$@"
  echo "ci: step '$name' ok in $((SECONDS - t0))s"
  disk_report "after '$name'"
}
# disk_report WHEN prints the space left on the build's filesystem and what the build dirs hold,
# so a full disk shows up in the log with the step that filled it.
disk_report() {
  local sizes="" d
  for d in "${CARGO_TARGET_DIR:-target}" fuzz/target dist; do
    [ -d "$d" ] && sizes+="$d $(du -sh "$d" 2>/dev/null | cut -f1), "
  done
  echo "ci: disk $1: $(df -Ph . | awk 'NR==2 {print $4 " free of " $2}')${sizes:+; ${sizes%, }}"
}
# prune PATH... deletes build outputs that no later CI step reads (CI only; see .ci/run).
prune() {
  local p
  for p in "$@"; do
    [ -e "$p" ] || continue
    echo "ci: pruning $p ($(du -sh "$p" | cut -f1)), no later step reads it"
    rm -rf "$p"
  done
}
# apt_need PKG... installs the Debian packages that are not installed yet (one apt-get update).
apt_need() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ ! -f /tmp/.csf-apt-updated ]; then apt-get update -qq && touch /tmp/.csf-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
# cargo_tool BIN CRATE[@VER] installs a cargo tool when its binary is missing.
cargo_tool() {
  command -v "$1" >/dev/null 2>&1 || cargo install --locked "$2"
}
