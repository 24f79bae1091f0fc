#!/usr/bin/env bash
# Builds one preset and runs the whole test suite; the second command of the README.
# Usage: tools/test.sh [PRESET]   (release, dev, asan or tsan; default release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
bash tools/build.sh "$preset"
ctest --preset "$preset" -j "$(nproc)"
