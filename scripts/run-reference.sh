#!/usr/bin/env bash
# The README's first command: install dependencies, build, run configs/reference.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/attendsim run configs/reference.toml --out results/reference
