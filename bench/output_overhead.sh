#!/usr/bin/env bash
# What writing the HDF5 output costs a run: wall time with output on over
# wall time with `-o none`, on the same scenario. The target is under 5%.
# Runs alternate (off, on, off, on, ...) so drift in the machine's speed
# falls on both alike; the medians are compared. CPU time (user + system,
# the writer thread's included) is compared too: on a shared machine it is
# far steadier than wall time. With hyperfine installed, it measures the
# same pair again and prints its summary.
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

# Prints "WALL CPU" seconds of one run (CPU: user + system, all threads).
measure() {
  local TIMEFORMAT='%3R %3U %3S'
  { time "$binary" run "$config" "$@" >"$work/log" 2>&1; } 2>"$work/time" || { cat "$work/log" >&2; exit 1; }
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$work/time"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "output overhead: $config, $runs runs each, binary $binary $*"
: >"$work/off"
: >"$work/on"
for i in $(seq "$runs"); do
  off=$(measure -o none "$@")
  on=$(measure -o "$work/run.h5" "$@")
  echo "  run $i: output off ${off% *} s wall ${off#* } s cpu; on ${on% *} s wall ${on#* } s cpu"
  echo "$off" >>"$work/off"
  echo "$on" >>"$work/on"
done
off_wall=$(cut -d' ' -f1 "$work/off" | median)
on_wall=$(cut -d' ' -f1 "$work/on" | median)
off_cpu=$(cut -d' ' -f2 "$work/off" | median)
on_cpu=$(cut -d' ' -f2 "$work/on" | median)
size=$(du -k "$work/run.h5" | cut -f1)
awk -v ow="$off_wall" -v nw="$on_wall" -v oc="$off_cpu" -v nc="$on_cpu" -v kb="$size" 'BEGIN {
  printf "median wall: off %.3f s, on %.3f s: ratio on/off %.4f (overhead %+.2f%%)\n", ow, nw, nw / ow, 100 * (nw / ow - 1)
  printf "median cpu:  off %.3f s, on %.3f s: ratio on/off %.4f (overhead %+.2f%%)\n", oc, nc, nc / oc, 100 * (nc / oc - 1)
  printf "output file: %d KiB\n", kb }'

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --runs "$runs" --style basic \
    -n "output off" "$binary run $config -o none $* >/dev/null 2>&1" \
    -n "output on" "$binary run $config -o $work/hf.h5 $* >/dev/null 2>&1"
fi
