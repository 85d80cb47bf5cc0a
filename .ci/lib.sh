# Shared helpers for .ci/run and .ci/steps/*.sh (sourced, not executed).
step() {
  local name=$1; shift
  local t0=$SECONDS
  echo "::group:: $name"
  "$@"
  echo "ci: step '$name' ok in $((SECONDS - t0))s"
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
