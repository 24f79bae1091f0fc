"""A run's file while it is written, after SIGTERM, and after SIGKILL."""

import shutil
import signal
import subprocess
import time

import h5netcdf
import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import wait_for_ticks

LONG = 1_000_000  # ticks (the most a scenario allows): far more than any test waits for; each run is stopped


def start(flywheel, config, out):
    return subprocess.Popen([flywheel, "run", str(config), "-o", str(out), "--threads", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def test_a_swmr_reader_sees_tick_grow(flywheel, scenario, tmp_path):
    out = tmp_path / "live.h5"
    process = start(flywheel, scenario(ticks=LONG), out)
    try:
        wait_for_ticks(out, 1, process)
        with h5py.File(out, "r", libver="latest", swmr=True) as f:
            assert f.attrs["status"].decode() == "running"
            tick, orders = f["tick"], f["orders"]
            seen = [tick.shape[0]]
            deadline = time.monotonic() + 120
            while len(set(seen)) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
                tick.refresh()
                seen.append(tick.shape[0])
            assert seen == sorted(seen) and len(set(seen)) >= 3, seen
            n = tick.shape[0]
            orders.refresh()
            assert orders.shape[0] >= n
            np.testing.assert_array_equal(tick[:n], np.arange(n))
        # xarray follows a live file through h5netcdf opened as a SWMR reader.
        with h5netcdf.File(out, "r", libver="latest", swmr=True) as nc:
            ds = xr.open_dataset(xr.backends.H5NetCDFStore(nc))
            assert ds.sizes["tick"] >= n and ds.orders.dims == ("tick", "platform")
            assert ds.attrs["status"] == "running"
        info = subprocess.run([flywheel, "info", str(out)], capture_output=True, text=True, timeout=60)
        assert info.returncode == 0 and "status running" in info.stdout, info.stdout + info.stderr
    finally:
        stop(process)


def test_sigterm_finishes_the_tick_and_marks_the_file_interrupted(flywheel, scenario, tmp_path):
    out = tmp_path / "stopped.h5"
    process = start(flywheel, scenario(ticks=LONG), out)
    wait_for_ticks(out, 20, process)
    code, stdout, _ = stop(process, signal.SIGTERM)
    assert code == 128 + signal.SIGTERM
    assert "stopped by signal 15" in stdout and "status interrupted" in stdout
    with h5py.File(out, "r") as f:  # closed cleanly: no repair step needed
        assert f.attrs["status"].decode() == "interrupted"
        n = f["tick"].shape[0]
        assert n >= 20
        np.testing.assert_array_equal(f["tick"][:], np.arange(n))
        assert f["orders"].shape == (n, 2) and f["market_offers"].shape == (n,)


def test_sigint_is_handled_like_sigterm(flywheel, scenario, tmp_path):
    out = tmp_path / "interrupted.h5"
    process = start(flywheel, scenario(ticks=LONG), out)
    wait_for_ticks(out, 1, process)
    code, _, _ = stop(process, signal.SIGINT)
    assert code == 128 + signal.SIGINT
    with h5py.File(out, "r") as f:
        assert f.attrs["status"].decode() == "interrupted"


@pytest.mark.skipif(shutil.which("h5clear") is None, reason="hdf5-tools (h5clear) is not installed")
def test_after_sigkill_h5clear_recovers_the_file_up_to_the_last_flush(flywheel, scenario, tmp_path):
    out = tmp_path / "killed.h5"
    process = start(flywheel, scenario(ticks=LONG, flush=5), out)
    wait_for_ticks(out, 30, process)
    code, _, _ = stop(process, signal.SIGKILL)
    assert code == -signal.SIGKILL
    with pytest.raises(OSError):
        h5py.File(out, "r")  # the superblock still says a writer has it open
    # -s clears the "open for writing" flag; --increment moves the end of
    # allocation past data that a SWMR writer flushed after its last superblock write.
    subprocess.run(["h5clear", "-s", "--increment=0", str(out)], check=True, timeout=60)
    with h5py.File(out, "r") as f:
        assert f.attrs["status"].decode() == "running"
        n = f["tick"].shape[0]
        assert n >= 30
        np.testing.assert_array_equal(f["tick"][:], np.arange(n))
        for name in ("orders", "gmv", "cash", "active_customers"):
            assert f[name].shape[0] >= n, name  # every series is flushed before `tick` grows
            data = f[name][:n]
            assert data.shape == (n, 2) and np.isfinite(data).all(), name
        assert f["cash"][n - 1].min() != 0  # written, not fill values
    if shutil.which("ncdump"):
        subprocess.run(["ncdump", "-h", str(out)], check=True, capture_output=True, timeout=60)
