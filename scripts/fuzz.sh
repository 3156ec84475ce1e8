#!/usr/bin/env bash
# libFuzzer runs of the seven readers (fuzz/): the config reader, the results reader of
# `report`, the funding reader of `allocate`, the register, targets and parameter-draws readers
# (calibrate, --draws-from) and the readers of `followup`, each for SECONDS (default 20) from its seed
# corpus fuzz/corpus/NAME (kept in the tree; new inputs go to a scratch folder, not into it).
#   scripts/fuzz.sh [SECONDS]
# Builds build-fuzz with clang (ATTENDSIM_FUZZ=ON: ASan + UBSan + coverage), only the fuzz
# targets and the libraries they link. Fails on any crash, sanitizer report, leak or timeout;
# prints libFuzzer's closing figures (executions, cov, ft) per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
jobs="$(nproc)"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DATTENDSIM_FUZZ=ON -DATTENDSIM_TESTS=OFF -DATTENDSIM_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzzers
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
for name in config results funding register targets draws followup; do
  mkdir -p "$scratch/$name" "$scratch/artifacts-$name"
  echo "== fuzz_$name: ${seconds} s from fuzz/corpus/$name"
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "build-fuzz/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 \
         -max_len=131072 -print_final_stats=1 -artifact_prefix="$scratch/artifacts-$name/" \
         "$scratch/$name" "fuzz/corpus/$name" >"$scratch/$name.log" 2>&1; then
    status=1
    tail -n 60 "$scratch/$name.log"
    for f in "$scratch/artifacts-$name"/*; do
      [ -e "$f" ] && { mkdir -p fuzz/crashes; cp "$f" fuzz/crashes/; echo "input kept: fuzz/crashes/$(basename "$f")"; }
    done
  fi
  grep -E '^#[0-9]+ +DONE' "$scratch/$name.log" || grep -E '^#[0-9]+' "$scratch/$name.log" | tail -n 1
  grep -E '^stat::number_of_executed_units' "$scratch/$name.log" || true
done
if [ "$status" -ne 0 ]; then echo "fuzzing found a problem (see above)"; fi
exit "$status"
