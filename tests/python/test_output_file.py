"""A finished run's file, as h5py, xarray (h5netcdf) and ncdump see it."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr
import yaml

from conftest import TINY, run, summary_orders
from flywheel_tools import load_run

TICKS = 40


@pytest.fixture(scope="module")
def finished(flywheel, tmp_path_factory):
    """One run with every optional output on; returns (path, stdout)."""
    tmp = tmp_path_factory.mktemp("finished")
    config = tmp / "full.yaml"
    config.write_text(TINY.format(name="full", ticks=TICKS, flush=10, categories="true", snapshots=10,
                                panel=5))
    out = tmp / "full.h5"
    result = run(flywheel, "run", config, "-o", out, "--threads", 2)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def built_revision():
    """The revision a build of this checkout names: HEAD's, "-dirty" with modified tracked files, else "unknown"."""
    repo = Path(__file__).resolve().parents[2]
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=repo, capture_output=True, text=True)
    if head.returncode != 0:
        return "unknown"
    changes = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                             capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + ("-dirty" if changes else "")


def test_root_attributes_describe_the_run(finished):
    path, _ = finished
    with h5py.File(path, "r") as f:
        a = f.attrs
        assert a["status"].decode() == "complete"
        assert a["format_version"] == 1
        assert a["seed"] == 7
        assert a["program"] == "flywheel"
        assert re.fullmatch(r"\d+\.\d+\.\d+", a["program_version"])
        assert a["git_revision"] == built_revision()
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["start_time"])
        assert a["version_boost"] and a["version_hdf5"]
        config = yaml.safe_load(a["config"])
        assert config["name"] == "full" and config["seed"] == 7 and config["ticks"] == TICKS
        assert [p["name"] for p in config["platforms"]] == ["alpha", "beta"]
        assert config["output"]["snapshot_interval"] == 10


def test_series_agree_with_the_printed_summary(finished):
    path, stdout = finished
    printed = summary_orders(stdout)
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["platform"][:]]
        assert names == ["alpha", "beta"]
        assert list(f["tick"][:]) == list(range(TICKS))
        assert f["orders"].shape == (TICKS, 2)
        assert [d[0].name for d in f["orders"].dims] == ["/tick", "/platform"]
        for p, name in enumerate(names):
            assert f["orders"][-1, p] == printed[name]
        units = f["units_1p"][:] + f["units_3p"][:]
        share = np.divide(f["units_3p"][:], units, out=np.full(units.shape, np.nan), where=units > 0)  # NaN: nothing sold
        np.testing.assert_allclose(f["third_party_unit_share"][:], share)
        total_offers = f["offers"][:].sum(axis=1)
        np.testing.assert_array_equal(f["market_offers"][:], total_offers)
        np.testing.assert_array_equal(f["category_offers"][:].sum(axis=1), total_offers)


def test_xarray_sees_dimensions_coordinates_and_units(finished):
    path, stdout = finished
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        assert ds.sizes["tick"] == TICKS and ds.sizes["platform"] == 2 and ds.sizes["category"] == 20
        assert list(ds.platform.values) == ["alpha", "beta"]
        assert ds.tick.values[-1] == TICKS - 1
        assert ds.orders.dims == ("tick", "platform")
        assert ds.market_active_customers.dims == ("tick",)
        assert ds.category_units_per_day.dims == ("tick", "category")
        for name, var in ds.data_vars.items():
            assert "units" in var.attrs and "long_name" in var.attrs, name
        assert ds.attrs["status"] == "complete"
        last = ds.orders.isel(tick=-1)
        assert {p: int(last.sel(platform=p)) for p in ("alpha", "beta")} == summary_orders(stdout)
        frame = ds.orders.to_pandas()
        assert list(frame.columns) == ["alpha", "beta"]


def test_snapshots_are_ragged_arrays_indexed_by_tick(finished):
    path, _ = finished
    with xr.open_dataset(path, engine="h5netcdf", group="customers") as c:
        assert list(c.snapshot_tick.values) == [0, 10, 20, 30]
        assert list(c.snapshot_rows.values) == [2000] * 4
        assert list(c.snapshot_start.values) == [0, 2000, 4000, 6000]
        assert c.sizes["row"] == 8000
        assert c.satisfaction.dims == ("row", "platform")
        assert c.snapshot_rows.attrs["sample_dimension"] == "row"
    with h5py.File(path, "r") as f:
        s = f["sellers"]
        assert s["snapshot_rows"][:].sum() == s["id"].shape[0]
        first = slice(s["snapshot_start"][1], s["snapshot_start"][1] + s["snapshot_rows"][1])
        assert len(set(s["id"][first])) == s["snapshot_rows"][1]  # each seller once per snapshot


@pytest.mark.skipif(shutil.which("ncdump") is None, reason="netcdf-bin (ncdump) is not installed")
def test_ncdump_reads_the_header(finished):
    path, _ = finished
    result = subprocess.run(["ncdump", "-h", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.search(r"tick = UNLIMITED ; // \(40 currently\)", result.stdout)
    assert "platform = 2 ;" in result.stdout
    assert "int64 orders(tick, platform) ;" in result.stdout
    assert ':status = "complete" ;' in result.stdout
    assert "group: customers {" in result.stdout
    assert ':Conventions = "CF-1.10" ;' in result.stdout
    assert "DIMENSION_LABELS" not in result.stdout


def test_cf_metadata_declares_time_cells_money_and_platform_codes(finished):
    path, _ = finished
    with h5py.File(path, "r") as f:
        assert f.attrs["Conventions"] == "CF-1.10"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: .*flywheel run .*full\.yaml.*", f.attrs["history"])
        tick = f["tick"].attrs
        assert tick["axis"] == "T" and tick["units"] == "d"
        assert f["orders"].attrs["cell_methods"] == "tick: sum"
        assert f["cash"].attrs["cell_methods"] == "tick: point"
        assert f["conversion"].attrs["cell_methods"] == "tick: mean"
        # A mean's weight is named beside it: the denominator that pools its days.
        assert f["ranker_error"].attrs["ancillary_variables"] == "listed_offers"
        assert f["taste_error"].attrs["ancillary_variables"] == "listed_visits"
        assert all("cell_methods" in v.attrs for k, v in f.items() if isinstance(v, h5py.Dataset) and k not in
                   ("tick", "platform", "category"))
        assert f["gmv"].attrs["units"] == "1" and "currency" in f["gmv"].attrs
        assert not any(v.attrs.get("units") == "currency" for v in f.values() if isinstance(v, h5py.Dataset))
        member_of = f["customers/member_of"].attrs
        assert list(member_of["flag_values"]) == [0, 1, 255]
        assert member_of["flag_values"].dtype == f["customers/member_of"].dtype
        assert member_of["flag_meanings"] == "alpha beta none"
        known = f["customers/known_platforms"].attrs
        assert list(known["flag_masks"]) == [1, 2] and known["flag_meanings"] == "alpha beta"
        assert f["listings/platform"].attrs["flag_meanings"] == "alpha beta none"


def test_start_date_makes_the_tick_axis_calendar_days(flywheel, scenario, tmp_path):
    out = tmp_path / "dated.h5"
    result = run(flywheel, "run", scenario(ticks=21), "-o", out, "--set", "output.start_date=2024-02-26")
    assert result.returncode == 0, result.stderr
    with xr.open_dataset(out, engine="h5netcdf") as ds:  # decoded by xarray itself
        assert ds.tick.values[0] == np.datetime64("2024-02-26") and ds.tick.values[4] == np.datetime64("2024-03-01")
    ds = load_run(out)
    weekly = ds.orders.swap_dims(tick="time").resample(time="7D").sum()
    assert weekly.sizes["time"] == 3 and int(weekly.sum()) == int(ds.orders.sum())
    bad = run(flywheel, "run", scenario(), "--set", "output.start_date=2024-02-30")
    assert bad.returncode != 0 and "start_date" in bad.stderr and "YYYY-MM-DD" in bad.stderr


def test_info_prints_what_the_file_holds(flywheel, finished):
    path, stdout = finished
    result = run(flywheel, "info", path)
    assert result.returncode == 0, result.stderr
    assert "status complete" in result.stdout
    assert "scenario 'full', seed 7: 2000 customers, 20 categories" in result.stdout
    assert f"ticks written: {TICKS} (last tick {TICKS - 1})" in result.stdout
    orders = next(line for line in result.stdout.splitlines() if line.startswith("orders "))
    printed = summary_orders(stdout)
    assert orders.split()[2:] == [str(printed["alpha"]), str(printed["beta"])]


def test_info_json_says_the_same_and_lists_the_variables(flywheel, finished):
    path, stdout = finished
    result = run(flywheel, "info", "--json", path)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["kind"] == "output" and info["status"] == "complete"
    assert info["ticks_written"] == TICKS and info["last_tick"] == TICKS - 1
    assert info["platforms"] == ["alpha", "beta"]
    printed = summary_orders(stdout)
    assert info["last"]["orders"]["values"] == [printed["alpha"], printed["beta"]]
    with h5py.File(path, "r") as f:
        axes = ("tick", "platform", "category")
        series = {name for name, item in f.items() if isinstance(item, h5py.Dataset) and name not in axes}
        listed = {v["name"]: v for v in info["variables"]}
        assert set(listed) == series
        assert listed["orders"]["units"] == f["orders"].attrs["units"]
        assert listed["orders"]["dims"] == "tick, platform"
