#!/bin/sh
# An error on one rank ends every rank: rank 0 cannot create the output file
# while the others are already waiting for it in a collective. The run must
# fail (exit status 1 from MPI_Abort) rather than hang.
# Usage: error_exits.sh FLYWHEEL MPIRUN CONFIG. Exits 77 (skipped) without MPI.
set -u
flywheel=$1 mpirun=$2 config=$3
if [ "$mpirun" = "none" ] || [ -z "$mpirun" ]; then
  echo "built without MPI: skipped"
  exit 77
fi
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 "$mpirun" --allow-run-as-root --oversubscribe -np 3 \
  "$flywheel" run "$config" --threads 1 -o /nonexistent-directory/out.h5
status=$?
echo "exit status $status"
[ "$status" -ne 0 ] && [ "$status" -ne 124 ]
