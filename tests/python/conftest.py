"""Shared fixtures of the output tests: the flywheel binary, tiny scenarios, runs."""

import os
import subprocess
import time
from pathlib import Path

import h5py
import pytest

TINY = """\
name: {name}
seed: 7
ticks: {ticks}
market:
  categories: 20
  shards: 4
customers:
  count: 2000
  initially_active: 0.1
platforms:
  - name: alpha
  - name: beta
output:
  flush_interval: {flush}
  category_series: {categories}
  snapshot_interval: {snapshots}
  sample: {{every: {panel}, customers: 0.05, sellers: 0.2}}
"""


@pytest.fixture(scope="session")
def flywheel():
    """Path of the flywheel binary under test (ctest passes it in FLYWHEEL_BINARY)."""
    binary = os.environ.get("FLYWHEEL_BINARY")
    if not binary or not Path(binary).is_file():
        pytest.skip("FLYWHEEL_BINARY is not set to the flywheel binary")
    return binary


@pytest.fixture
def scenario(tmp_path):
    """Writes a tiny scenario and returns its path; keyword arguments change it."""

    def write(name="tiny", ticks=40, flush=10, categories="false", snapshots=0, panel=0):
        path = tmp_path / f"{name}.yaml"
        path.write_text(TINY.format(name=name, ticks=ticks, flush=flush, categories=categories, snapshots=snapshots,
                                    panel=panel))
        return path

    return write


def run(flywheel, *args, cwd=None):
    """Runs flywheel to the end; returns the CompletedProcess (text)."""
    return subprocess.run([flywheel, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


def summary_orders(stdout):
    """Orders per platform from the summary table a run prints at its end."""
    lines = stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("platform "))
    orders = {}
    for line in lines[header + 1:]:
        parts = line.split()
        if len(parts) < 8:
            break
        orders[parts[0]] = int(parts[3])
    return orders


def wait_for_ticks(path, at_least, process, timeout=120.0):
    """Polls the file as a SWMR reader until `tick` holds at least `at_least` values; returns the count."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the run ended (status {process.returncode}) before the test could watch it: "
                                 f"{process.stderr.read() if process.stderr else ''}")
        try:
            with h5py.File(path, "r", libver="latest", swmr=True) as f:
                n = f["tick"].shape[0]
                if n >= at_least:
                    return n
        except (OSError, KeyError):
            pass  # not created, or not yet in SWMR mode
        time.sleep(0.05)
    raise AssertionError(f"{path} did not reach {at_least} ticks in {timeout} s")


# A small market for the analysis tools (tools/flywheel_tools): the scenarios of
# configs/ shrunk, so that each suite makes its runs in a few seconds.
SMALL = ("customers.count=10000", "market.categories=100", "market.shards=4")


@pytest.fixture(scope="session")
def small_run(flywheel, tmp_path_factory):
    """Makes a run of configs/`config` on the small market; returns its path."""
    from flywheel_tools import run_scenario

    tmp = tmp_path_factory.mktemp("runs")

    def make(config="flywheel.yaml", ticks=600, seed=None, sets=(), name=None):
        out = tmp / (name or f"{Path(config).stem}-{seed}-{ticks}-{len(sets)}.h5")
        if not out.exists():
            run_scenario(config, out, ticks=ticks, seed=seed, sets=(*SMALL, *sets), threads=2)
        return out

    return make
