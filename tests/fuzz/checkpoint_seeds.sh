#!/usr/bin/env bash
# Regenerates the seed corpus of the checkpoint fuzz target
# (tests/fuzz/corpus/checkpoint/*.ckpt): small real checkpoints of
# tests/data/tiny.yaml on one shard, written by `flywheel run --stop-after`:
#   tick0.ckpt          100 customers, before the first tick
#   tick10.ckpt         100 customers, after 10 ticks
#   entry-tick15.ckpt   50 customers and many entrants (sellers.entry_pool_rate 0.5), after 15 ticks
# Run it whenever the checkpoint layout (checkpoint_version) or the scenario's
# keys change: a seed the reader refuses at its version or its scenario only
# exercises those first checks. Then run tools/fuzz.sh checkpoint.
# Usage: tests/fuzz/checkpoint_seeds.sh [FLYWHEEL]   (default: build/release/app/flywheel)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-build/release/app/flywheel}"
corpus=tests/fuzz/corpus/checkpoint
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

seed() {
  local name="$1" ticks="$2"
  shift 2
  "$bin" run tests/data/tiny.yaml --set market.shards=1 --threads 1 "$@" -o "$scratch/$name.h5" \
    --stop-after "$ticks" >"$scratch/$name.log" 2>&1 || { cat "$scratch/$name.log" >&2; exit 1; }
  cp "$scratch/$name.checkpoint.h5" "$corpus/$name.ckpt"
  echo "checkpoint_seeds: $corpus/$name.ckpt (tick $ticks)"
}

seed tick0 0 --set customers.count=100
seed tick10 10 --set customers.count=100
seed entry-tick15 15 --set customers.count=50 --set sellers.entry_pool_rate=0.5
