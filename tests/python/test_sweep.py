"""`flywheel sweep`: a small grid run on a workstation, interrupted and resumed,
across MPI ranks, and shared among the tasks of a (simulated) Slurm job array."""

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

from flywheel_tools import load_sweep, sweep_status

# A market small enough for a run in a fraction of a second.
BASE = """\
name: sweep-base
seed: 3
ticks: 40
market:
  categories: 20
  shards: 4
customers:
  count: 2000
  initially_active: 0.1
platforms:
  - name: alpha
  - name: beta
"""

# 3 take rates x 2 replicates = 6 runs.
SWEEP = """\
scenario: base.yaml
output: {output}
seed: 11
replicates: 2
threads: 1
set:
  ticks: {ticks}
parameters:
  platforms.alpha.take_rate: [0.05, 0.1, 0.2]
"""


@pytest.fixture
def sweep_file(tmp_path):
    def write(ticks=40, output="out"):
        (tmp_path / "base.yaml").write_text(BASE)
        path = tmp_path / "sweep.yaml"
        path.write_text(SWEEP.format(ticks=ticks, output=output))
        return path

    return write


def sweep(flywheel, *args, cwd, env=None, launcher=()):
    return subprocess.run([*launcher, flywheel, "sweep", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env=env)


def statuses(folder):
    index = sweep_status(folder)
    return dict(zip(index["id"], index["status"]))


def check_index(folder, runs=6):
    index = pd.read_csv(folder / "index.csv")
    assert list(index.columns) == ["id", "file", "point", "replicate", "seed", "platforms.alpha.take_rate"]
    assert list(index["id"]) == [f"run-{i:04d}" for i in range(runs)]
    assert list(index["file"]) == [f"runs/run-{i:04d}.h5" for i in range(runs)]
    assert list(index["replicate"]) == [0, 1] * (runs // 2)
    assert index["seed"].iloc[0] == index["seed"].iloc[2] != index["seed"].iloc[1]  # common random numbers
    assert list(index["platforms.alpha.take_rate"]) == [0.05, 0.05, 0.1, 0.1, 0.2, 0.2][:runs]
    return index


def test_bad_sweep_file_exits_2_before_any_run(flywheel, sweep_file, tmp_path):
    path = sweep_file()
    path.write_text(path.read_text().replace("[0.05, 0.1, 0.2]", "[0.05, 1.5]"))
    result = sweep(flywheel, path, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "sweep.yaml:9" in result.stderr and "take_rate" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_dry_run_prints_the_index_and_writes_nothing(flywheel, sweep_file, tmp_path):
    result = sweep(flywheel, sweep_file(), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "id,file,point,replicate,seed,platforms.alpha.take_rate" and len(lines) == 7
    assert not (tmp_path / "out").exists()


def test_ticks_and_set_on_the_command_line_apply_to_every_run(flywheel, sweep_file, tmp_path):
    result = sweep(flywheel, sweep_file(), "--ticks", 12, "--set", "customers.count=1500", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    counters = re.findall(r"\[(\d+)/6, \d+:\d\d:\d\d left\] run-\d+ complete", result.stderr)
    assert sorted(int(k) for k in counters) == list(range(1, 7)), result.stderr
    for path in sorted((tmp_path / "out" / "runs").glob("*.h5")):
        with h5py.File(path, "r") as f:
            assert f["tick"].shape[0] == 12, path
            assert yaml.safe_load(f.attrs["config"])["customers"]["count"] == 1500, path
    refused = sweep(flywheel, sweep_file(), "--set", "seed=4", "--dry-run", cwd=tmp_path)
    assert refused.returncode == 2 and "--set seed=4" in refused.stderr, refused.stderr


def test_interrupted_sweep_resumes_without_rewriting_complete_runs(flywheel, sweep_file, tmp_path):
    path = sweep_file(ticks=300)  # long enough runs that the signal lands before the last one ends
    folder = tmp_path / "out"
    process = subprocess.Popen([flywheel, "sweep", path, "--jobs", "1"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (folder / "index.csv").exists() and "complete" in statuses(folder).values():
            break
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, err

    check_index(folder)
    first = statuses(folder)
    done = [i for i, s in first.items() if s == "complete"]
    assert done and len(done) < 6, (first, err)
    assert "interrupted" in first.values() or "missing" in first.values(), first
    kept = {i: os.stat(folder / "runs" / f"{i}.h5") for i in done}

    result = sweep(flywheel, path, "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{len(done)} were already complete" in result.stdout, result.stdout
    assert set(statuses(folder).values()) == {"complete"}
    assert sorted(p.name for p in (folder / "runs").iterdir()) == [f"run-{i:04d}.h5" for i in range(6)]
    for i, before in kept.items():
        after = os.stat(folder / "runs" / f"{i}.h5")
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), i

    batch = load_sweep(folder)
    assert batch.sizes["run"] == 6
    assert list(batch["run"].values) == list(range(6))
    assert list(batch["id"].values) == [f"run-{i:04d}" for i in range(6)]
    assert list(batch["platforms.alpha.take_rate"].values) == [0.05, 0.05, 0.1, 0.1, 0.2, 0.2]
    assert list(batch["replicate"].values) == [0, 1, 0, 1, 0, 1]
    # The swept parameter is labelled once, under its key as the sweep gave it; `status` is not swept.
    assert batch.attrs["sweep_parameters"] == ["platforms.alpha.take_rate"]
    assert "platforms.0.take_rate" not in batch.coords
    lazy = load_sweep(folder, lazy=True)
    assert lazy.orders.data.chunks[0] == (1,) * 6
    np.testing.assert_array_equal(lazy.orders.values, batch.orders.values)
    assert list(lazy.coords) == list(batch.coords)
    index = pd.read_csv(folder / "index.csv")
    assert [int(s) for s in batch["seed"].values] == [int(s) for s in index["seed"]]
    with h5py.File(folder / "runs" / "run-0003.h5", "r") as f:
        assert int(f.attrs["seed"]) == int(index["seed"].iloc[3])

    # A third start has nothing to do.
    again = sweep(flywheel, path, cwd=tmp_path)
    assert again.returncode == 0 and "6 were already complete" in again.stdout, again.stdout


def contents(path):
    """Every dataset of a file by name, as arrays, and every attribute but the start time."""
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found[name] = obj[()]
        found.update({f"{name}@{k}": v for k, v in obj.attrs.items() if k not in ("DIMENSION_LIST", "REFERENCE_LIST")})

    with h5py.File(path, "r") as f:
        f.visititems(visit)
        found.update({f"@{k}": v for k, v in f.attrs.items() if k not in ("start_time", "history")})
    return found


def same_contents(a, b):
    ca, cb = contents(a), contents(b)
    assert ca.keys() == cb.keys()
    for name in ca:
        x, y = np.asarray(ca[name]), np.asarray(cb[name])
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), name
        elif x.dtype.kind != "O":
            assert np.array_equal(x, y), name


def test_mpi_ranks_make_the_same_files_as_a_workstation(flywheel, sweep_file, tmp_path):
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.skip("no mpirun")
    path = sweep_file()
    local = sweep(flywheel, path, "-o", "local", "--jobs", "2", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    # Open MPI's own allocations at exit are not ours to report (as in tests/mpi/*.sh).
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = (env["ASAN_OPTIONS"] + ":" if env.get("ASAN_OPTIONS") else "") + "detect_leaks=0"
    ranks = sweep(flywheel, path, "-o", "ranks", cwd=tmp_path, env=env,
                  launcher=(mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2"))
    assert ranks.returncode == 0, ranks.stdout + ranks.stderr
    if "slot 1 of 2" not in ranks.stderr:
        pytest.skip("this flywheel was built without MPI (FLYWHEEL_WITH_MPI=0): both ranks ran every run")
    assert "slot 0 of 2" in ranks.stderr
    assert (tmp_path / "local" / "index.csv").read_text() == (tmp_path / "ranks" / "index.csv").read_text()
    assert set(statuses(tmp_path / "ranks").values()) == {"complete"}
    for i in range(6):
        a = tmp_path / "local" / "runs" / f"run-{i:04d}.h5"
        b = tmp_path / "ranks" / "runs" / f"run-{i:04d}.h5"
        same_contents(a, b)


def test_array_tasks_share_the_runs_once_each(flywheel, sweep_file, tmp_path):
    path = sweep_file()
    folder = tmp_path / "out"
    seen = set()
    for task in range(4):  # 4 tasks for 6 runs: two tasks get two, two get one
        before = {p.name for p in (folder / "runs").iterdir()} if (folder / "runs").exists() else set()
        result = sweep(flywheel, path, "--task", task, "--tasks", 4, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        made = {p.name for p in (folder / "runs").iterdir()} - before
        assert made == {f"run-{i:04d}.h5" for i in range(task, 6, 4)}, (task, made)
        assert not made & seen
        seen |= made
        check_index(folder)
    assert len(seen) == 6
    assert set(statuses(folder).values()) == {"complete"}

    # The same from a Slurm array's environment, as `sbatch --array=1-3` sets it.
    env = dict(os.environ, SLURM_ARRAY_TASK_ID="2", SLURM_ARRAY_TASK_COUNT="3", SLURM_ARRAY_TASK_MIN="1")
    other = sweep(flywheel, path, "-o", "array", cwd=tmp_path, env=env)
    assert other.returncode == 0, other.stderr  # its own share is all it answers for
    assert sorted(p.name for p in (tmp_path / "array" / "runs").iterdir()) == ["run-0001.h5", "run-0004.h5"]


def test_sweep_status_command(flywheel, sweep_file, tmp_path):
    path = sweep_file()
    sweep(flywheel, path, "--task", 0, "--tasks", 2, cwd=tmp_path)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "tools"))
    result = subprocess.run(["/usr/bin/python3", "-m", "flywheel_tools", "sweep-status", tmp_path / "out"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr
    assert "6 runs: 3 complete, 3 missing" in result.stdout, result.stdout


def test_a_changed_scenario_does_not_resume_into_old_results(flywheel, sweep_file, tmp_path):
    path = sweep_file(ticks=20)
    first = sweep(flywheel, path, "--task", 0, "--tasks", 6, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path.write_text(path.read_text().replace("ticks: 20", "ticks: 21"))  # same index, other scenarios
    second = sweep(flywheel, path, cwd=tmp_path)
    assert second.returncode == 1, second.stderr
    assert "holds runs of an earlier version" in second.stderr, second.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "runs").iterdir()) == ["run-0000.h5"]
