#!/usr/bin/env python3
"""How fast flywheel_tools opens runs: `load_run` per file and `load_runs` over many.

Usage: PYTHONPATH=tools /usr/bin/python3 bench/load_runs.py RUN.h5 [--copies 500]

The run is linked `--copies` times into a temporary folder (a sweep's worth
of files), then loaded; prints seconds and files per second. A benchmark
script, not a test: compare revisions side by side on one machine.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from flywheel_tools import load_run, load_runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--copies", type=int, default=500)
    args = parser.parse_args()

    start = time.perf_counter()
    one = load_run(args.run)
    single = time.perf_counter() - start
    print(f"load_run: {single:.3f} s ({len(one.data_vars)} variables, {one.sizes['tick']} ticks)")

    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.copies):
            os.symlink(args.run.resolve(), Path(folder) / f"run-{i:04d}.h5")
        start = time.perf_counter()
        batch = load_runs(folder)
        seconds = time.perf_counter() - start
    print(f"load_runs of {args.copies} files: {seconds:.2f} s ({args.copies / seconds:.0f} files/s, "
          f"{batch.nbytes / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
