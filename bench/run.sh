#!/usr/bin/env bash
# The benchmarks of issue 6 in one command: builds the release preset if
# needed, runs the kernel microbenchmarks and the whole-run benchmark on the
# default and large scenarios, and writes JSON plus a Markdown table.
#
#   bench/run.sh [OUTPUT_DIR]          (default: bench/results)
#
# Environment: DEFAULT_TICKS (120), LARGE_TICKS (30), REPEATS (3) and LARGE_REPEATS (2)
# whole runs per thread count, the fastest kept; MIN_TIME (0.3 s per microbenchmark run),
# MICRO_REPS (3 runs each; the median is reported), TRIAD_MIB (512 per array),
# WAIT_QUIET (seconds to wait for an idle machine before the whole runs; 0).
# About 5 minutes on a 2-core machine.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-$root/bench/results}" && cd "${1:-$root/bench/results}" && pwd)
default_ticks=${DEFAULT_TICKS:-120}
large_ticks=${LARGE_TICKS:-30}
min_time=${MIN_TIME:-0.3}
triad_mib=${TRIAD_MIB:-512}
py=/usr/bin/python3  # the system interpreter: the one on PATH may lack Debian's packages

# Waits (up to WAIT_QUIET seconds, default 0) for a 5-second window in which
# the machine is at least 80% idle: other work on a 2-core machine takes the
# second core and the parallel efficiency with it.
wait_quiet() {
  local deadline=$((SECONDS + ${WAIT_QUIET:-0}))
  while ((SECONDS < deadline)); do
    local a b
    a=($(head -1 /proc/stat)); sleep 5; b=($(head -1 /proc/stat))
    local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    ((total > 0 && idle * 100 >= 80 * total)) && return 0
    echo "waiting for a quiet machine (idle $((100 * idle / (total > 0 ? total : 1)))%)..." >&2
  done
}

cd "$root"
[[ -f build/release/CMakeCache.txt ]] || cmake --preset release
cmake --build --preset release -j2 --target flywheel_microbench flywheel_whole_run
bin=build/release/bench

{
  echo "{"
  echo "  \"cpu\": \"$(lscpu | sed -n 's/^Model name: *//p' | head -1)\","
  echo "  \"cores\": $(nproc),"
  echo "  \"memory_bytes\": $(awk '/MemTotal/ {print $2 * 1024}' /proc/meminfo),"
  echo "  \"kernel\": \"$(uname -r)\","
  echo "  \"compiler\": \"$(c++ --version | head -1)\","
  echo "  \"revision\": \"$(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo '-dirty')\","
  echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"load_average_at_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\""
  echo "}"
} > "$out/machine.json"

echo "== microbenchmarks" >&2
# Repetitions: the report takes each benchmark's median, steadier on a shared machine.
"$bin/flywheel_microbench" --benchmark_min_time="$min_time" --benchmark_repetitions="${MICRO_REPS:-3}" \
  --benchmark_out="$out/microbench.json" --benchmark_out_format=json

wait_quiet
echo "== whole run: configs/default.yaml, $default_ticks ticks" >&2
"$bin/flywheel_whole_run" configs/default.yaml --ticks "$default_ticks" --threads 1,2 \
  --repeats "${REPEATS:-3}" --triad-mib "$triad_mib" > "$out/whole_run_default.json"

echo "== whole run: configs/large.yaml, $large_ticks ticks" >&2
"$bin/flywheel_whole_run" configs/large.yaml --ticks "$large_ticks" --threads 1,2 \
  --repeats "${LARGE_REPEATS:-2}" --triad-mib "$triad_mib" > "$out/whole_run_large.json"

"$py" bench/report.py "$out" > "$out/results.md"
echo "== wrote $out/results.md" >&2
cat "$out/results.md"
