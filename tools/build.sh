#!/usr/bin/env bash
# Installs what is missing, then configures and builds one CMake preset.
# Usage: tools/build.sh [PRESET]   (dev, release, asan or tsan; default release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
bash tools/install-deps.sh
jobs="${FLYWHEEL_BUILD_JOBS:-$(nproc)}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
