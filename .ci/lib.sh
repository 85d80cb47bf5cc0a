# shellcheck shell=bash
# Shared helpers for .ci/run and .ci/steps/*.sh (sourced, not executed).
# step NAME CMD... runs CMD and prints its time and the load average (other work on the machine
# slows a step down: the figure says how busy it was); .ci/run keeps the times for step_table.
CI_STEP_TIMES=()
step() {
  local name=$1; shift
  local t0=$SECONDS
  echo "::group:: $name"
  "$@"
  local took=$((SECONDS - t0)) load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "ci: step '$name' ok in ${took}s (load average $load)"
  CI_STEP_TIMES+=("$(printf '%-22s %5ss  %s' "$name" "$took" "$load")")
  disk_report "after '$name'"
}
# step_table prints every step's time (seconds) and the load average when it ended.
step_table() {
  echo "ci: step                    time  load average (1, 5, 15 min) at its end"
  local row
  for row in "${CI_STEP_TIMES[@]}"; do echo "ci: $row"; done
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
  # Root on a CI machine; sudo on a hosted runner (.github/workflows/ci.yml runs these scripts).
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if [ ! -f /tmp/.csf-apt-updated ]; then "${sudo[@]}" apt-get update -qq && touch /tmp/.csf-apt-updated; fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
# cargo_tool BIN CRATE[@VER] installs a cargo tool when its binary is missing.
cargo_tool() {
  command -v "$1" >/dev/null 2>&1 || cargo install --locked "$2"
}
