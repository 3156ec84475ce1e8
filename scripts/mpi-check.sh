#!/usr/bin/env bash
# Issue 18: work split across MPI ranks gives the same bytes as one process.
#   scripts/mpi-check.sh BINARY MPIEXEC identical   run (--draws 2 x --replications 3) and a
#       three-parameter Sobol (--sobol-n 8 x --replications 2) under `MPIEXEC -np 1, 2, 3` x
#       --threads 1, 2: every output file (summary.json, occupancy.csv, sobol.csv, ...; not
#       run.json, which holds the wall time) byte for byte equal to the serial run's (no mpiexec);
#       and a run and a Sobol analysis of two [[municipalities]] at -np 3 --threads 1 and -np 2
#       --threads 2 (with municipalities.csv and decision.md); compare, a one-way analysis and --target-se at -np 3;
#       a Sobol on the hybrid and on the count path (count_based = true) at -np 3;
#       run.json records the number of ranks
#   scripts/mpi-check.sh BINARY MPIEXEC failing     a rank that fails (ATTENDSIM_FAIL_RANK, the
#       test hook) and a bad config under -np 2: non-zero exit, no output folder, no temporary
# A small reference (1000 pupils, 3 years) keeps each run to about a second plus mpiexec's start.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$1"
mpiexec="$2"
mode="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sed -e 's/^pupils = 20000 /pupils = 1000 /' -e 's/^horizon_years = 5 /horizon_years = 3 /' \
  "$root/configs/reference.toml" >"$tmp/small.toml"
grep -q '^pupils = 1000 ' "$tmp/small.toml" && grep -q '^horizon_years = 3 ' "$tmp/small.toml" || {
  echo "configs/reference.toml no longer has the pupils/horizon_years lines this test shrinks"
  exit 1
}
{
  cat "$tmp/small.toml"
  printf '\n[[municipalities]]\nname = "north"\npupils = 700\n'
  printf '[[municipalities.staffing]]\nfrom_month = 0\nfte = 2.0\n'
  printf '[[municipalities]]\nname = "south"\npupils = 400\n'
  printf '[[municipalities.staffing]]\nfrom_month = 0\nfte = 5.0\n'
} >"$tmp/two.toml"
mpi=("$mpiexec" --oversubscribe --allow-run-as-root --bind-to none)
params="coordinators.rr_improve_in_case,economics.cost_per_fte_year_sek,population.prevalence.grade7_9.high"

cmds() {  # cmds PREFIX... -- THREADS OUTDIR: the two commands of the check
  local out="${*: -1}" threads="${*: -2:1}"
  local prefix=("${@:1:$#-2}")
  "${prefix[@]}" "$bin" run "$tmp/small.toml" --draws 2 --replications 3 --seed 7 \
    --threads "$threads" --quiet --out "$out/run" >/dev/null
  "${prefix[@]}" "$bin" sensitivity "$tmp/small.toml" --method sobol --params "$params" \
    --sobol-n 8 --replications 2 --bootstrap 20 --seed 7 --threads "$threads" --quiet \
    --out "$out/sobol" >/dev/null
}

case "$mode" in
  identical)
    cmds env 1 "$tmp/serial"
    for f in run/summary.json run/occupancy.csv sobol/sobol.csv; do
      [ -s "$tmp/serial/$f" ] || { echo "serial run wrote no $f"; exit 1; }
    done
    status=0
    for np in 1 2 3; do
      for t in 1 2; do
        cmds "${mpi[@]}" -np "$np" "$t" "$tmp/np$np-t$t"
        grep -q "\"ranks\": $np," "$tmp/np$np-t$t/run/run.json" || {
          echo "run.json at -np $np does not record $np ranks"
          status=1
        }
        if ! diff -r --exclude run.json "$tmp/serial" "$tmp/np$np-t$t" >"$tmp/diff.txt"; then
          echo "outputs differ at -np $np --threads $t:"
          head -20 "$tmp/diff.txt"
          status=1
        fi
      done
    done
    muni() {  # muni THREADS OUTDIR [PREFIX...]
      local t="$1" out="$2"
      shift 2
      "$@" "$bin" run "$tmp/two.toml" --replications 3 --seed 7 --threads "$t" --quiet \
        --out "$out" >/dev/null
      "$@" "$bin" sensitivity "$tmp/two.toml" --method sobol --params "$params" --sobol-n 4 \
        --replications 2 --bootstrap 20 --seed 7 --threads "$t" --quiet --out "$out-sobol" \
        >/dev/null
    }
    muni 1 "$tmp/muni-serial"
    for f in municipality-south/summary.json municipalities.csv decision.md ../muni-serial-sobol/sobol.csv; do
      [ -s "$tmp/muni-serial/$f" ] || { echo "no $f in the municipalities' output"; exit 1; }
    done
    muni 1 "$tmp/muni-np3" "${mpi[@]}" -np 3
    muni 2 "$tmp/muni-np2" "${mpi[@]}" -np 2
    for v in np3 np2; do
      for o in "" -sobol; do
        if ! diff -r --exclude run.json "$tmp/muni-serial$o" "$tmp/muni-$v$o" >"$tmp/diff.txt"; then
          echo "municipalities' outputs$o differ at $v:"
          head -20 "$tmp/diff.txt"
          status=1
        fi
      done
    done
    # Commands of several splits whose next step reads the last one's results on every rank:
    # compare (its coarse threshold), a one-way analysis and --target-se.
    steps() {  # steps OUTDIR [PREFIX...]
      local out="$1"
      shift
      "$@" "$bin" compare "$tmp/small.toml" --replications 3 --seed 7 --threads 1 --quiet \
        --out "$out/compare" >/dev/null
      "$@" "$bin" sensitivity "$tmp/small.toml" --method oneway --replications 2 --seed 7 \
        --threads 1 --quiet --out "$out/oneway" >/dev/null
      "$@" "$bin" sensitivity "$tmp/small.toml" --target-se net_benefit_sek=1 --batch 2 \
        --max-replications 6 --seed 7 --threads 1 --quiet --out "$out/target" >/dev/null
    }
    steps "$tmp/steps-serial"
    steps "$tmp/steps-np3" "${mpi[@]}" -np 3
    if ! diff -r --exclude run.json "$tmp/steps-serial" "$tmp/steps-np3" >"$tmp/diff.txt"; then
      echo "compare, oneway or --target-se outputs differ at -np 3:"
      head -20 "$tmp/diff.txt"
      status=1
    fi
    # Sobol on the engines of [simulation] count_based: the hybrid (with coordinators) and the
    # count path (without; its extra_sustained_returns not computed).
    sed 's/^horizon_years = 3 /horizon_years = 3\ncount_based = true\n/' "$tmp/small.toml" \
      >"$tmp/hybrid.toml"
    sed -e '/^\[coordinators\]/,/^enabled/s/^enabled = true/enabled = false/' \
      -e '/^\[transitions.relapse\]/,/^enabled/s/^enabled = true/enabled = false/' \
      -e 's/^\(p_repeat_year_per_extensive_year_[a-z_]*\) = [^#]*/\1 = 0.0 /' \
      "$tmp/hybrid.toml" >"$tmp/counts.toml"
    engines() {  # engines OUTDIR [PREFIX...]
      local out="$1"
      shift
      "$@" "$bin" sensitivity "$tmp/hybrid.toml" --method sobol --params "$params" --sobol-n 4 \
        --replications 2 --bootstrap 20 --seed 7 --threads 1 --quiet --out "$out/hybrid" \
        >/dev/null
      "$@" "$bin" sensitivity "$tmp/counts.toml" --method sobol \
        --params economics.cost_per_fte_year_sek,transitions.leaving.p_leave_per_month \
        --sobol-n 4 --replications 2 --bootstrap 20 --seed 7 --threads 1 --quiet \
        --out "$out/counts" >/dev/null
    }
    engines "$tmp/engines-serial"
    for f in hybrid/sobol.csv counts/sobol.csv; do
      [ -s "$tmp/engines-serial/$f" ] || { echo "no $f from the count-based Sobol"; exit 1; }
    done
    engines "$tmp/engines-np3" "${mpi[@]}" -np 3
    if ! diff -r --exclude run.json "$tmp/engines-serial" "$tmp/engines-np3" >"$tmp/diff.txt"; then
      echo "count-based Sobol outputs (hybrid, count path) differ at -np 3:"
      head -20 "$tmp/diff.txt"
      status=1
    fi
    [ "$status" -eq 0 ] && echo "run and sobol outputs identical at -np 1, 2, 3 x --threads 1, 2; municipalities at -np 3 and 2; compare, oneway, --target-se, the hybrid's and the count path's Sobol at -np 3"
    exit "$status"
    ;;
  failing)
    status=0
    expect_failure() {  # expect_failure WHAT OUTDIR COMMAND...
      local what="$1" out="$2"
      shift 2
      set +e
      "$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
      local rc=$?
      set -e
      if [ "$rc" -eq 0 ]; then
        echo "$what: exit 0, expected a failure"
        status=1
      fi
      if [ -e "$out" ]; then
        echo "$what: output folder $out left behind"
        status=1
      fi
      if ls -A "$(dirname "$out")" | grep -q attendsim-tmp; then
        echo "$what: temporary folder left behind"
        status=1
      fi
      echo "$what: exit $rc"
    }
    mkdir -p "$tmp/f"
    ATTENDSIM_FAIL_RANK=1 expect_failure "rank 1 of 2 fails (run)" "$tmp/f/run" \
      "${mpi[@]}" -np 2 "$bin" run "$tmp/small.toml" --replications 4 --threads 1 --quiet \
      --out "$tmp/f/run"
    grep -q "rank 1 failed on purpose" "$tmp/err.txt" || { echo "no message from rank 1"; status=1; }
    ATTENDSIM_FAIL_RANK=2 expect_failure "rank 2 of 3 fails (sobol)" "$tmp/f/sobol" \
      "${mpi[@]}" -np 3 "$bin" sensitivity "$tmp/small.toml" --method sobol --params "$params" \
      --sobol-n 4 --replications 1 --bootstrap 0 --threads 1 --quiet --out "$tmp/f/sobol"
    sed 's/^pupils = 1000 /pupils = -5 /' "$tmp/small.toml" >"$tmp/bad.toml"
    expect_failure "bad config on every rank" "$tmp/f/bad" \
      "${mpi[@]}" -np 2 "$bin" run "$tmp/bad.toml" --replications 2 --quiet --out "$tmp/f/bad"
    grep -q "bad.toml" "$tmp/err.txt" || { echo "the bad config's error does not name the file"; status=1; }
    [ "$status" -eq 0 ] && echo "failing ranks and bad input: non-zero exit, no output folder"
    exit "$status"
    ;;
  *)
    echo "usage: scripts/mpi-check.sh BINARY MPIEXEC identical|failing" >&2
    exit 2
    ;;
esac
