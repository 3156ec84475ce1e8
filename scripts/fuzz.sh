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
# -O2 with line tables only (-gline-tables-only): reports keep file:line and inlined frames,
# without full debug info (analysis/calibration.cpp: 49.5 -> 32.0 s of compile CPU).
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG" \
  -DATTENDSIM_FUZZ=ON -DATTENDSIM_TESTS=OFF -DATTENDSIM_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzzers
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# One fuzzer per core at a time (each is a single process, so each still gets its SECONDS of
# one core); results are printed in the fixed order below once each group is done.
fuzz_one() {  # fuzz_one NAME: exit status in $scratch/NAME.status
  local name="$1" rc=0
  mkdir -p "$scratch/$name" "$scratch/artifacts-$name"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build-fuzz/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 \
      -max_len=131072 -print_final_stats=1 -artifact_prefix="$scratch/artifacts-$name/" \
      "$scratch/$name" "fuzz/corpus/$name" >"$scratch/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$scratch/$name.status"
}
report_one() {  # report_one NAME: prints its figures; returns 1 when it found a problem
  local name="$1" rc
  rc="$(cat "$scratch/$name.status")"
  echo "== fuzz_$name: ${seconds} s from fuzz/corpus/$name"
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$scratch/$name.log"
    for f in "$scratch/artifacts-$name"/*; do
      [ -e "$f" ] && { mkdir -p fuzz/crashes; cp "$f" fuzz/crashes/; echo "input kept: fuzz/crashes/$(basename "$f")"; }
    done
  fi
  grep -E '^#[0-9]+ +DONE' "$scratch/$name.log" || grep -E '^#[0-9]+' "$scratch/$name.log" | tail -n 1
  grep -E '^stat::number_of_executed_units' "$scratch/$name.log" || true
  [ "$rc" -eq 0 ]
}
status=0
names=(config results funding register targets draws followup)
for ((i = 0; i < ${#names[@]}; i += jobs)); do
  group=("${names[@]:i:jobs}")
  for name in "${group[@]}"; do fuzz_one "$name" & done
  wait
  for name in "${group[@]}"; do report_one "$name" || status=1; done
done
if [ "$status" -ne 0 ]; then echo "fuzzing found a problem (see above)"; fi
exit "$status"
