#!/usr/bin/env bash
# The README's second command: every test, in a Release build and in an
# AddressSanitizer + UndefinedBehaviorSanitizer build, then a short libFuzzer run of each
# reader (scripts/fuzz.sh: config, results, funding, register, targets, draws, followup;
# FUZZ_SECONDS each, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs="$(nproc)"

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
# MPI is off here: Open MPI's own allocations at MPI_Init are reported as leaks by
# LeakSanitizer, and the split is the same code as in the Release tree (its tests run there).
# The Python module is off too: a sanitized extension cannot load into an unsanitized python3.
# -O1 -g1 (line tables: reports still name file:line) instead of RelWithDebInfo's -O2 -g: full
# debug info and -O2 cost about 40 % more compile time here, which is most of this phase.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  -DATTENDSIM_SANITIZE=ON -DATTENDSIM_BENCH=OFF -DATTENDSIM_MPI=OFF -DATTENDSIM_PYTHON=OFF >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== libFuzzer: config, results, funding, register, targets, draws and followup readers"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
