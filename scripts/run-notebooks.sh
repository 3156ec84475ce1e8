#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless against one small results folder, and fails
# (non-zero exit) if any cell of any notebook raises. CTest runs it as Notebooks.ExecuteHeadless.
#
#   scripts/run-notebooks.sh [PATH/TO/attendsim]     (or ATTENDSIM_BIN=...; default build/attendsim)
#
# The notebooks run on Debian's system Python (/usr/bin/python3 with python3-matplotlib,
# python3-pandas, python3-nbconvert, python3-ipykernel from scripts/install-deps.sh), never on
# another python3 that may come first on PATH. KEEP_NOTEBOOK_OUTPUT=1 keeps the temporary folder
# (results and executed notebooks) for inspection.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${ATTENDSIM_BIN:-$root/build/attendsim}}"
py=/usr/bin/python3
config="$root/configs/uppsala_2020.toml"

if [ ! -x "$bin" ]; then
  echo "run-notebooks: attendsim binary not found or not executable: $bin" >&2
  exit 2
fi
unset PYTHONPATH PYTHONHOME ATTENDSIM_SCENARIO
# The notebooks read the results folder through the attendsim Python module built beside the
# binary (build/python; ATTENDSIM_PYTHON=ON), and the sensitivity notebook simulates with it.
pydir="$(cd "$(dirname "$bin")" && pwd)/python"
if [ -d "$pydir/attendsim" ]; then
  export PYTHONPATH="$pydir" ATTENDSIM_REQUIRE_MODULE=1
fi
if ! "$py" -c "import matplotlib, pandas, nbconvert, nbformat, ipykernel" 2>/dev/null; then
  echo "run-notebooks: $py lacks matplotlib/pandas/nbconvert/ipykernel; run scripts/install-deps.sh" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/attendsim-notebooks.XXXXXX")"
if [ "${KEEP_NOTEBOOK_OUTPUT:-0}" = 1 ]; then
  echo "run-notebooks: keeping $work"
else
  trap 'rm -rf "$work"' EXIT
fi
results="$work/results"
common=(--quiet --out "$results")

# One small results folder; the commands merge their files into it. Sensitivity first, then run
# and compare, so summary.csv, occupancy.csv and draws.csv are compare's (consistent with
# comparison.csv) and every sensitivity file is present.
start=$SECONDS
"$bin" sensitivity "$config" --method psa --draws 8 --replications 1 "${common[@]}"
"$bin" sensitivity "$config" --method oneway --replications 1 "${common[@]}"
"$bin" sensitivity "$config" --method twoway --params coordinators.rr_improve_in_case,detection.p_consent \
  --grid 3 --replications 1 "${common[@]}"
methods="$("$bin" sensitivity --help)"
if grep -q sobol <<<"$methods"; then
  "$bin" sensitivity "$config" --method sobol --sobol-n 8 --bootstrap 50 --replications 1 \
    --params coordinators.rr_improve_in_case,detection.p_consent,coordinators.caseload_per_fte "${common[@]}"
fi
if grep -q voi <<<"$methods"; then
  "$bin" sensitivity "$config" --method voi --draws 16 --replications 1 "${common[@]}"
fi
"$bin" run "$config" --draws 4 --replications 2 "${common[@]}"
"$bin" compare "$config" --draws 4 --replications 2 --write-draws "${common[@]}"
# A small register calibration for notebooks/calibration.ipynb.
"$bin" synth-register "$config" --pupils 2000 --months 24 --seed 2 --out "$work/register.csv" >/dev/null
"$bin" calibrate "$config" --register "$work/register.csv" --fit-draws 8 --threads 2 --quiet \
  --out "$work/calibration"
echo "run-notebooks: results folder made in $((SECONDS - start)) s: $(cd "$results" && ls | tr '\n' ' ')"

export ATTENDSIM_RESULTS="$results" ATTENDSIM_CALIBRATION="$work/calibration" MPLBACKEND=Agg PYDEVD_DISABLE_FILE_VALIDATION=1
failed=()
for nb in "$root"/notebooks/*.ipynb; do
  t0=$SECONDS
  if "$py" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
       --ExecutePreprocessor.kernel_name=python3 --output-dir "$work/executed" "$nb" \
       >"$work/nbconvert.log" 2>&1; then
    echo "run-notebooks: ok   $(basename "$nb") ($((SECONDS - t0)) s)"
  else
    echo "run-notebooks: FAIL $(basename "$nb")" >&2
    grep -v -e "Debugger warning" -e "frozen modules" -e "Debugging will proceed" "$work/nbconvert.log" \
      | sed 's/\x1b\[[0-9;]*m//g' | tail -n 40 >&2
    failed+=("$(basename "$nb")")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-notebooks: ${#failed[@]} notebook(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "run-notebooks: all notebooks executed in $((SECONDS - start)) s"
