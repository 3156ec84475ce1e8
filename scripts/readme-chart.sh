#!/usr/bin/env bash
# Regenerates the README's chart, docs/img/roi_uppsala_2020.svg: runs
# `attendsim compare configs/uppsala_2020.toml` (the config's own seed and replications), makes
# the English `attendsim report` and copies its inline SVG chart of the return per SEK invested
# (ROI per scenario with its 95 % CI) out of the HTML unchanged.
#
#   scripts/readme-chart.sh [PATH/TO/attendsim]     (or ATTENDSIM_BIN=...; default build/attendsim)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${ATTENDSIM_BIN:-$root/build/attendsim}}"
out="$root/docs/img/roi_uppsala_2020.svg"
title="Return per SEK invested"   # the chart's <title> in the English report

work="$(mktemp -d "${TMPDIR:-/tmp}/attendsim-readme-chart.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$bin" compare "$root/configs/uppsala_2020.toml" --quiet --out "$work/results"
"$bin" report "$work/results" --lang en --out "$work/report_en.html" >/dev/null
mkdir -p "$(dirname "$out")"
/usr/bin/python3 - "$work/report_en.html" "$out" "$title" <<'PY'
import re, sys
html, out, title = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
chart = next((c for c in charts if f"<title>{title}</title>" in c), None)
if chart is None:
    sys.exit(f"readme-chart: no chart titled {title!r} in the report ({len(charts)} charts found)")
with open(out, "w", encoding="utf-8") as f:
    f.write(chart + "\n")
print(f"readme-chart: wrote {out} ({len(chart)} bytes)")
PY
