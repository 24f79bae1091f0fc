"""flywheel_tools.Follower: new ticks of a run while flywheel writes it, until it ends."""

import signal
import subprocess

import h5py
import numpy as np

from flywheel_tools import Follower, load_run

from conftest import wait_for_ticks

LONG = 1_000_000  # ticks: the run is stopped long before


def test_the_follower_sees_ticks_as_they_come_and_stops_when_the_run_ends(flywheel, scenario, tmp_path):
    out = tmp_path / "live.h5"
    process = subprocess.Popen([flywheel, "run", str(scenario(ticks=LONG)), "-o", str(out), "--threads", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_ticks(out, 1, process)
        live = load_run(out)  # xarray reads the file while it is written
        assert live.attrs["status"] == "running" and live.sizes["tick"] >= 1
        follower = Follower(out, ["orders", "market_offers"], interval=0.02, idle_timeout=60)
        ticks, running_at = [], []
        for t in follower:
            ticks.append(t.tick)
            assert t.values["orders"].shape == (2,) and np.ndim(t.values["market_offers"]) == 0
            running_at.append(process.poll() is None)
            if len(ticks) == 300:
                process.send_signal(signal.SIGTERM)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signal.SIGTERM
    assert follower.status == "interrupted"
    assert all(running_at[:300]), "ticks were yielded while the run went on"
    with h5py.File(out, "r") as f:
        n = f["tick"].shape[0]
        assert ticks == list(range(n)), "every tick once, in order, up to the last one written"


def test_following_a_finished_run_yields_it_all_and_stops(small_run):
    path = small_run(ticks=100)
    follower = Follower(path, ["cash"], interval=0.01, idle_timeout=30)
    ticks = [t for t in follower]
    assert [t.tick for t in ticks] == list(range(100))
    assert follower.status == "complete"
    with h5py.File(path, "r") as f:
        np.testing.assert_array_equal(np.array([t.values["cash"] for t in ticks]), f["cash"][:])


def test_a_killed_run_is_followed_until_the_idle_timeout(flywheel, scenario, tmp_path):
    out = tmp_path / "killed.h5"
    process = subprocess.Popen([flywheel, "run", str(scenario(ticks=LONG)), "-o", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_ticks(out, 20, process)
    process.kill()
    process.wait(timeout=60)
    follower = Follower(out, ["orders"], interval=0.02, idle_timeout=0.5)
    ticks = [t.tick for t in follower]
    assert follower.status == "running"  # a killed run's file never says otherwise
    assert len(ticks) >= 20 and ticks == list(range(len(ticks)))
