#!/bin/sh
# A distributed run must write the same file as the single-process run.
# Usage: compare_ranks.sh FLYWHEEL MPIRUN RANKS CONFIG [run options...]
# Runs CONFIG once in a single process and once under `MPIRUN -np RANKS`
# (one thread per rank) and compares the two files bit for bit
# (compare_h5.py). Exits 77 (skipped) when the build has no MPI.
set -eu
flywheel=$1 mpirun=$2 ranks=$3 config=$4
shift 4
if [ "$mpirun" = "none" ] || [ -z "$mpirun" ]; then
  echo "built without MPI: skipped"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/flywheel_mpi_XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$flywheel" run "$config" "$@" --threads 2 -o "$dir/single.h5" > "$dir/single.txt"
# --oversubscribe: more ranks than cores; --allow-run-as-root: CI containers run as root.
# Under AddressSanitizer, Open MPI's own allocations at exit are not ours to report.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 240 "$mpirun" --allow-run-as-root --oversubscribe -np "$ranks" \
  "$flywheel" run "$config" "$@" --threads 1 -o "$dir/ranks.h5" > "$dir/ranks.txt"
grep -v '^flywheel: ran\|^exchange:\|^output:' "$dir/single.txt" > "$dir/single.summary"
grep -v '^flywheel: ran\|^exchange:\|^output:' "$dir/ranks.txt" > "$dir/ranks.summary"
diff "$dir/single.summary" "$dir/ranks.summary"
/usr/bin/python3 "$here/compare_h5.py" "$dir/single.h5" "$dir/ranks.h5"
