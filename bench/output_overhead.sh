#!/usr/bin/env bash
# What writing the HDF5 output costs a run: wall time with output on over
# wall time with `-o none`, on the same scenario. The target is under 5%.
# Runs alternate (off, on, off, on, ...) so drift in the machine's speed
# falls on both alike; the medians are compared. With hyperfine installed,
# it measures the same pair again and prints its summary.
#
# Usage: bench/output_overhead.sh [CONFIG] [RUNS] [more `flywheel run` options]
#   CONFIG: default configs/default.yaml; RUNS: runs of each kind, default 3
#   FLYWHEEL_BINARY: the binary to time (default build/release/app/flywheel, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-configs/default.yaml}"
runs="${2:-3}"
shift $(( $# < 2 ? $# : 2 ))
binary="${FLYWHEEL_BINARY:-build/release/app/flywheel}"
[ -x "$binary" ] || bash tools/build.sh release >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Seconds one run takes, to the millisecond.
wall() {
  local start end
  start=$(date +%s.%N)
  "$binary" run "$config" "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.3f\n", $2 - $1 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "output overhead: $config, $runs runs each, binary $binary $*"
: >"$work/off"
: >"$work/on"
for i in $(seq "$runs"); do
  off=$(wall -o none "$@")
  on=$(wall -o "$work/run.h5" "$@")
  echo "  run $i: output off ${off} s, on ${on} s"
  echo "$off" >>"$work/off"
  echo "$on" >>"$work/on"
done
off=$(median <"$work/off")
on=$(median <"$work/on")
size=$(du -k "$work/run.h5" | cut -f1)
awk -v off="$off" -v on="$on" -v kb="$size" 'BEGIN {
  printf "median wall time: output off %.3f s, on %.3f s; ratio on/off %.4f (overhead %+.2f%%); file %d KiB\n",
         off, on, on / off, 100 * (on / off - 1), kb }'

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --runs "$runs" --style basic \
    -n "output off" "$binary run $config -o none $* >/dev/null 2>&1" \
    -n "output on" "$binary run $config -o $work/hf.h5 $* >/dev/null 2>&1"
fi
