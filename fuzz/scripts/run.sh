#!/usr/bin/env bash
# Runs fuzz targets (one after another unless FUZZ_PARALLEL says more at once), then records
# libFuzzer's final figures in results/fuzz/.
#   fuzz/scripts/run.sh MODE SECONDS [TARGET...]     MODE is a label: short or long
# New inputs go to fuzz/work/corpus/<target> (ignored by git); the merged corpus (fuzz/corpus, a
# local or CI cache made by `make fuzz-cmin`, never committed) and the seeds are read, never
# written. A crash stops nothing: every target runs, then the script fails.
# FUZZ_SANITIZER=address|none (default address); FUZZ_MAX_LEN (default 4096);
# FUZZ_BUILD=release|dev (default release). CI's short run uses dev: an unoptimised build of the
# whole server graph compiles in a fraction of the release time, and 30 s per target is a smoke
# run either way; the long form keeps release builds for execution speed. A dev build starts from
# the seeds (and fuzz/work) only: it runs 4-100 inputs/s, so loading a merged corpus of thousands
# of files would take most of a 30 s run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mode=${1:?mode: short or long}; seconds=${2:?seconds per target}; shift 2
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(cargo +nightly fuzz list)
sanitizer=${FUZZ_SANITIZER:-address}
build_flags=(--sanitizer "$sanitizer")
start_from_corpus=1
case ${FUZZ_BUILD:-release} in
  release) ;;
  dev) build_flags+=(--dev); start_from_corpus=0 ;;
  *) echo "fuzz: FUZZ_BUILD must be release or dev, not '${FUZZ_BUILD}'" >&2; exit 2 ;;
esac
max_len=${FUZZ_MAX_LEN:-4096}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
logs=work/logs/$mode
mkdir -p "$logs"

t0=$SECONDS
cargo +nightly fuzz build "${build_flags[@]}" || exit 1
echo "fuzz: built ${#targets[@]} targets (sanitizer $sanitizer, ${FUZZ_BUILD:-release} build) in $((SECONDS - t0))s"

# run_target T: fuzzes T for $seconds; its exit status is libFuzzer's.
run_target() {
  local t=$1 start=$SECONDS rc
  mkdir -p "work/corpus/$t" "corpus/$t" "seeds/$t" "artifacts/$t"
  local inputs=("work/corpus/$t" "seeds/$t")
  [ "$start_from_corpus" = 1 ] && inputs+=("corpus/$t")
  cargo +nightly fuzz run "${build_flags[@]}" "$t" "${inputs[@]}" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -jobs=1 -workers=1 > "$logs/$t.log" 2>&1
  rc=$?
  echo "fuzz: $t exit $rc after $((SECONDS - start))s (log fuzz/$logs/$t.log)"
  if [ $rc -ne 0 ]; then
    grep -E "^==|panicked|SUMMARY|Test unit written" "$logs/$t.log" | head -20
  fi
  return $rc
}

# FUZZ_PARALLEL targets at a time (default 1: the machine may be shared). Each is one process
# on one core, so on a dedicated machine CI runs as many as it has cores: each target still
# gets its full time on a core of its own.
parallel=${FUZZ_PARALLEL:-1}
failed=0
pids=()
for t in "${targets[@]}"; do
  run_target "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$parallel" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
python3 scripts/record.py "$mode" "$sanitizer" "$seconds" "$logs" "${targets[@]}" || failed=1
exit $failed
