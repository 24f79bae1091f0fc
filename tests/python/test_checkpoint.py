"""Checkpoints, resume and branches from the command line: a run stopped and
resumed (by --stop-after, SIGTERM or SIGKILL) writes exactly the file of an
uninterrupted run; a branch without changes continues its parent exactly;
bad checkpoints are refused with one message and leave the output alone."""

import hashlib
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from conftest import run, wait_for_ticks

TICKS = 60
BIG = ("--set", "customers.count=300000")  # slow enough to be killed mid-run
BIG_TICKS = 150


def datasets(path):
    """Every dataset of a file by name: its values."""
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def root_attributes(path):
    with h5py.File(path, "r") as f:
        return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}


def assert_same_run(a, b):
    """The files of two runs hold the same datasets, bit for bit, and the same root attributes but when and how
    each was started (start_time, history)."""
    da, db = datasets(a), datasets(b)
    assert sorted(da) == sorted(db)
    for name in da:
        assert da[name].dtype == db[name].dtype, name
        np.testing.assert_array_equal(da[name], db[name], err_msg=name, strict=True)
    aa, ab = root_attributes(a), root_attributes(b)
    for provenance in ("start_time", "history"):
        aa.pop(provenance), ab.pop(provenance)
    assert aa.keys() == ab.keys()
    for k in aa:
        assert str(aa[k]) == str(ab[k]), k


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def config(scenario):
    # Snapshots every 7 ticks, a panel every 5 and flushes every 4: resume must cut tables and series back.
    return scenario(name="ck", ticks=TICKS, flush=4, snapshots=7, panel=5)


@pytest.fixture
def full(flywheel, config, tmp_path):
    out = tmp_path / "full.h5"
    r = run(flywheel, "run", config, "-o", out, "--threads", "2")
    assert r.returncode == 0, r.stderr
    return out


def test_stop_and_resume_twice_gives_the_uninterrupted_file(flywheel, config, full, tmp_path):
    out = tmp_path / "parts.h5"
    ckpt = tmp_path / "parts.checkpoint.h5"
    r = run(flywheel, "run", config, "-o", out, "--checkpoint-every", "9", "--stop-after", "20", "--threads", "1")
    assert r.returncode == 0, r.stderr
    assert "stopped after 20 of 60 ticks" in r.stdout and "flywheel resume" in r.stdout
    with h5py.File(ckpt, "r") as f:
        assert f.attrs["format"].decode() == "flywheel-checkpoint" and f.attrs["tick"] == 20
    with h5py.File(out, "r") as f:
        assert f.attrs["status"].decode() == "interrupted"
    r = run(flywheel, "resume", ckpt, "--stop-after", "41", "--threads", "2")
    assert r.returncode == 0, r.stderr
    r = run(flywheel, "resume", ckpt, "--threads", "3")
    assert r.returncode == 0, r.stderr
    assert_same_run(full, out)
    assert root_attributes(out)["status"] == "complete"
    # CF's history: a line per command that wrote the file, newest first.
    history = root_attributes(out)["history"].splitlines()
    assert len(history) == 3, history
    assert [line.split(": ", 1)[1].split()[1] for line in history] == ["resume", "resume", "run"], history
    assert "--threads 3" in history[0] and "--stop-after 41" in history[1], history


def test_the_default_checkpoint_path_follows_the_output(flywheel, config, tmp_path):
    r = run(flywheel, "run", config, "-o", tmp_path / "x.h5", "--stop-after", "3")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "x.checkpoint.h5").is_file()
    r = run(flywheel, "run", config, "-o", tmp_path / "y.h5", "--stop-after", "3", "--checkpoint", tmp_path / "c.h5")
    assert r.returncode == 0 and (tmp_path / "c.h5").is_file() and not (tmp_path / "y.checkpoint.h5").exists()


def start(flywheel, config, out, *args):
    return subprocess.Popen([flywheel, "run", str(config), "-o", str(out), *BIG, "--ticks", str(BIG_TICKS),
                             "--threads", "2", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def big_full(flywheel, config, tmp_path):
    out = tmp_path / "big.h5"
    r = run(flywheel, "run", config, "-o", out, *BIG, "--ticks", BIG_TICKS, "--threads", "2")
    assert r.returncode == 0, r.stderr
    return out


def wait_for_checkpoint(path, process, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        assert process.poll() is None, "the run ended before it wrote a checkpoint"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_resume_after_sigkill_gives_the_uninterrupted_file(flywheel, config, big_full, tmp_path):
    out = tmp_path / "killed.h5"
    process = start(flywheel, config, out, "--checkpoint-every", "5")
    wait_for_checkpoint(tmp_path / "killed.checkpoint.h5", process)
    wait_for_ticks(out, 12, process)
    process.kill()
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    with h5py.File(tmp_path / "killed.checkpoint.h5", "r") as f:
        tick = int(f.attrs["tick"])
    assert 0 < tick < BIG_TICKS
    # No h5clear: resume clears the "open for writing" mark the killed SWMR writer left itself.
    r = run(flywheel, "resume", tmp_path / "killed.checkpoint.h5", "--threads", "2")
    assert r.returncode == 0, r.stderr
    assert_same_run(big_full, out)


def test_sigterm_writes_a_checkpoint_that_resumes_to_the_uninterrupted_file(flywheel, config, big_full, tmp_path):
    out = tmp_path / "term.h5"
    process = start(flywheel, config, out)  # no --checkpoint-every: only the signal's checkpoint
    wait_for_ticks(out, 10, process)
    process.send_signal(signal.SIGTERM)
    stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert "stopped by signal 15" in stdout and "flywheel resume" in stdout
    with h5py.File(tmp_path / "term.checkpoint.h5", "r") as f, h5py.File(out, "r") as o:
        assert int(f.attrs["tick"]) == o["tick"].shape[0] and o.attrs["status"].decode() == "interrupted"
    r = run(flywheel, "resume", tmp_path / "term.checkpoint.h5")
    assert r.returncode == 0, r.stderr
    assert_same_run(big_full, out)


def series(path):
    """Datasets over the tick dimension (at the root, with as many rows as `tick`)."""
    with h5py.File(path, "r") as f:
        n = f["tick"].shape[0]
        return {k: v[()] for k, v in f.items() if isinstance(v, h5py.Dataset) and v.ndim >= 1 and v.shape[0] == n
                and k not in ("platform", "category")}


@pytest.fixture
def parent(flywheel, config, tmp_path):
    out = tmp_path / "parent.h5"
    r = run(flywheel, "run", config, "-o", out, "--stop-after", "20")
    assert r.returncode == 0, r.stderr
    return tmp_path / "parent.checkpoint.h5"


def test_a_branch_without_changes_continues_its_parent_exactly(flywheel, full, parent, tmp_path):
    out = tmp_path / "same.h5"
    r = run(flywheel, "run", "--from", parent, "-o", out)
    assert r.returncode == 0, r.stderr
    branch, whole = series(out), series(full)
    assert sorted(branch) == sorted(whole)
    np.testing.assert_array_equal(branch["tick"], np.arange(20, TICKS))
    for name in whole:
        np.testing.assert_array_equal(branch[name], whole[name][20:], err_msg=name, strict=True)
    a = root_attributes(out)
    assert a["branch_tick"] == 20 and a["parent_checkpoint"] == str(parent.resolve())
    assert a["parent_output"] == str((tmp_path / "parent.h5").resolve()) and a["branch_overrides"] == ""


def test_a_branch_with_another_fee_differs(flywheel, full, parent, tmp_path):
    out = tmp_path / "fee.h5"
    r = run(flywheel, "run", "--from", parent, "-o", out, "--set", "platforms.alpha.take_rate=0.4", "--ticks", "50")
    assert r.returncode == 0, r.stderr
    branch, whole = series(out), series(full)
    assert branch["tick"][-1] == 49
    assert branch["take_rate"][0, 0] != whole["take_rate"][20, 0]
    assert not np.array_equal(branch["fee_revenue"], whole["fee_revenue"][20:50])
    assert root_attributes(out)["branch_overrides"] == "platforms.alpha.take_rate=0.4\nticks=50"


@pytest.mark.parametrize("change", ["customers.count=3000", "market.shards=2", "seed=8"])
def test_a_branch_may_not_change_structure(flywheel, parent, tmp_path, change):
    r = run(flywheel, "run", "--from", parent, "-o", tmp_path / "no.h5", "--set", change)
    assert r.returncode == 2
    assert change.split("=")[0] in r.stderr and "structural" in r.stderr
    assert not (tmp_path / "no.h5").exists()


def test_run_needs_a_config_or_a_checkpoint(flywheel, config, parent):
    r = run(flywheel, "run")
    assert r.returncode == 2 and "CONFIG" in r.stderr and "--from" in r.stderr
    r = run(flywheel, "run", config, "--from", parent)
    assert r.returncode == 2 and "not both" in r.stderr


def damage(kind, good, path):
    data = bytearray(Path(good).read_bytes())
    if kind == "truncated":
        data = data[: len(data) // 2]
    elif kind == "corrupted":
        rng = np.random.default_rng(3)
        for at in rng.integers(0, len(data), 20):
            data[at] ^= 0x5A
    elif kind == "version":  # the trailer's version, one ahead of the file's own
        data[-24] += 1
    elif kind == "not-a-checkpoint":
        with h5py.File(path, "w") as f:
            f["x"] = np.arange(3)
        return
    elif kind == "text":
        data = b"ticks: 3\n"
    Path(path).write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["truncated", "corrupted", "version", "not-a-checkpoint", "text", "missing"])
def test_a_bad_checkpoint_is_refused_and_leaves_the_output_alone(flywheel, parent, tmp_path, kind):
    bad = tmp_path / "bad.checkpoint.h5"
    if kind != "missing":
        damage(kind, parent, bad)
    output = tmp_path / "parent.h5"
    before = digest(output)
    for args in (["resume", bad], ["run", "--from", bad, "-o", tmp_path / "branch.h5"]):
        r = run(flywheel, *args)
        assert r.returncode == 1, r.stdout + r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("flywheel: error: checkpoint") and str(bad) in lines[0], lines
        assert "internal" not in r.stderr
    if kind == "version":
        with h5py.File(parent, "r") as f:
            assert f"checkpoint_version {int(f.attrs['checkpoint_version']) + 1}" in r.stderr
    assert digest(output) == before
    assert not (tmp_path / "branch.h5").exists()
