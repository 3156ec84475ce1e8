#!/usr/bin/env bash
# The installed package as a new user meets it (CTest Package.ConsumerBuildsAgainstInstall):
# `cmake --install BUILD --prefix TMP`, then examples/consumer configured with
# find_package(attendsim) against TMP, built and run; its mean net benefit must equal the
# installed CLI's summary.csv for the same seed. When the Python module is installed, the
# installed module (on PYTHONPATH=TMP/lib/python3.X/dist-packages) must give the same number.
#   scripts/test-consumer.sh BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/attendsim-consumer.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
config="$root/configs/mora_2019.toml"

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
launcher="$(sed -n 's/^CMAKE_CXX_COMPILER_LAUNCHER:[A-Z]*=//p' "$build/CMakeCache.txt")"
cmake -S "$root/examples/consumer" -B "$tmp/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp/build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }

got="$("$tmp/build/consumer" "$config" 3 5)"
"$tmp/prefix/bin/attendsim" run "$config" --replications 3 --seed 5 --threads 1 --quiet --out "$tmp/cli"
scenario="${got%%,*}"
want="$(awk -F, -v s="$scenario" '$1 == s && $2 == "total" && $3 == "net_benefit_sek" {print $1 "," $3 "," $4}' \
  "$tmp/cli/summary.csv")"
echo "consumer: $got"
echo "CLI:      $want"
[ -n "$want" ] && [ "$got" = "$want" ] || { echo "test-consumer: the consumer differs from the CLI" >&2; exit 1; }

site="$(ls -d "$tmp"/prefix/lib*/python3*/dist-packages 2>/dev/null | head -1 || true)"
if [ -n "$site" ] && [ -d "$site/attendsim" ]; then
  py="$(cd / && PYTHONPATH="$site" /usr/bin/python3 -c "
import attendsim
r = attendsim.run('$config', replications=3, seed=5, threads=1)
row = r.metric('net_benefit_sek', '$scenario')
print('$scenario,net_benefit_sek,' + '%.12g' % r.means['$scenario']['net_benefit_sek'])
print(attendsim.__file__)")"
  echo "python:   $(head -1 <<<"$py") (${py#*$'\n'})"
  [ "$(head -1 <<<"$py")" = "$want" ] || { echo "test-consumer: the installed module differs" >&2; exit 1; }
  case "$py" in *"$site"*) ;; *) echo "test-consumer: not the installed module" >&2; exit 1 ;; esac
fi
echo "test-consumer: the installed package builds, links and agrees with the CLI"
