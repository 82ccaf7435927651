#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang in build-fuzz (ASan + UBSan, SECURITY.md FUZ-01)
# and runs each for a while, starting from its seeds in fuzz/corpus/<target>/.
#
#   bash scripts/fuzz.sh [seconds per target, default 20]
#
# Inputs found during a run are kept in build-fuzz/fuzz-corpus/<target>/ (reused by the next run,
# never committed); a crash, leak, timeout or UB report leaves the input that caused it in
# build-fuzz/fuzz-artifacts/<target>/ and the log in build-fuzz/fuzz-logs/<target>.log, and the
# script fails. Reproduce with: build-fuzz/fuzz/fuzz_<target> <artifact>
set -euo pipefail

seconds="${1:-20}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds per target]" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
build="build-fuzz"
jobs="${JOBS:-2}"

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DPORTICO_FUZZ=ON -DPORTICO_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target portico_fuzzers -j "$jobs"

# A UB report stops the run like a crash (the build also sets -fno-sanitize-recover), with a stack.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

failed=()
for source in fuzz/*.cc; do
  target="$(basename "$source" .cc)"
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target/"
  log="$build/fuzz-logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"

  args=(-max_len=4000 -timeout=30 -rss_limit_mb=4096 -max_total_time="$seconds"
    -print_final_stats=1 -artifact_prefix="$artifacts")
  if [[ -f "fuzz/$target.dict" ]]; then
    args+=(-dict="fuzz/$target.dict")
  fi
  # The first directory receives new inputs; the seeds are only read.
  seeds=()
  if [[ -d "fuzz/corpus/$target" ]]; then
    seeds=("fuzz/corpus/$target")
  fi

  status=0
  "$build/fuzz/fuzz_$target" "${args[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?

  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  files="$(find "$corpus" -type f | wc -l)"
  if ((status == 0)); then
    printf '%-16s ok      %10s runs  %6s exec/s  corpus %s inputs\n' "$target" "${runs:-?}" \
      "${rate:-?}" "$files"
  else
    printf '%-16s FAILED  %10s runs  (exit %s; log %s, inputs in %s)\n' "$target" "${runs:-?}" \
      "$status" "$log" "$artifacts"
    failed+=("$target")
  fi
done

if ((${#failed[@]})); then
  for target in "${failed[@]}"; do
    echo
    echo "== $target: end of $build/fuzz-logs/$target.log"
    tail -n 40 "$build/fuzz-logs/$target.log"
  done
  exit 1
fi
