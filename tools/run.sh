#!/usr/bin/env bash
# Builds flywheel (release) and runs a scenario; the first command of the README.
# Usage: tools/run.sh [CONFIG] [more `flywheel run` options]
#   default CONFIG: configs/default.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh release >&2
config="${1:-configs/default.yaml}"
[ $# -gt 0 ] && shift
exec build/release/app/flywheel run "$config" "$@"
