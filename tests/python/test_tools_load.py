"""flywheel_tools: a run as an xarray Dataset and pandas frames; a batch of runs along `run`."""

import re

import dask.array
import h5py
import numpy as np
import pytest

from flywheel_tools import differing, flatten, load_run, load_runs, parse_config, run_config, tidy_frame, wide_frame
from flywheel_tools.batch import run_paths
from flywheel_tools.frames import per_platform

TICKS = 400


@pytest.fixture(scope="session")
def run_path(small_run):
    return small_run("reinvest-vs-dividend.yaml", ticks=TICKS, sets=("output.category_series=true",))


@pytest.fixture(scope="session")
def ds(run_path):
    return load_run(run_path)


def test_dimensions_and_coordinates(ds):
    assert ds.sizes["tick"] == TICKS and ds.sizes["platform"] == 2 and ds.sizes["category"] == 100
    np.testing.assert_array_equal(ds.tick.values, np.arange(TICKS))
    assert list(ds.platform.values) == ["reinvest", "dividend"]
    assert ds.orders.dims == ("tick", "platform")
    assert ds.market_offers.dims == ("tick",)
    assert ds.category_offers.dims == ("tick", "category")
    assert ds.orders.attrs["units"] == "1" and ds.orders.attrs["long_name"]


def test_attributes_decoded_and_config_parsed(ds, run_path):
    a = ds.attrs
    assert a["status"] == "complete" and a["scenario"] == "reinvest-vs-dividend" and a["seed"] == 1
    assert a["path"] == str(run_path)
    config = run_config(ds)
    assert config["ticks"] == TICKS and config["customers"]["count"] == 10000
    assert [p["name"] for p in config["platforms"]] == ["reinvest", "dividend"]
    assert config["platforms"][1]["policy"]["payout_share"] == pytest.approx(0.8)


def test_series_agree_with_a_raw_h5py_read(ds, run_path):
    with h5py.File(run_path, "r") as f:
        for name in ("orders", "cash", "price_index", "market_active_customers"):
            np.testing.assert_array_equal(ds[name].values, f[name][:], err_msg=name)


def test_variables_carry_only_their_own_attributes(ds):
    for name in ("orders", "tick", "platform", "category_offers"):
        assert not {"DIMENSION_LABELS", "DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"} & set(ds[name].attrs), name


def test_a_loaded_run_writes_back_as_netcdf(ds, tmp_path):
    ds[["orders"]].to_netcdf(tmp_path / "orders.nc")
    ds.to_netcdf(tmp_path / "all.nc")
    again = load_run(tmp_path / "all.nc")
    np.testing.assert_array_equal(again.orders.values, ds.orders.values)
    assert list(again.platform.values) == list(ds.platform.values)
    assert run_config(again) == run_config(ds)


def test_a_file_xarray_holds_open_still_loads(run_path):
    import xarray as xr

    with xr.open_dataset(run_path, engine="h5netcdf") as held:  # opened without SWMR, in this process
        assert load_run(run_path).sizes["tick"] == held.sizes["tick"] == TICKS


def test_a_snapshot_group_loads_with_its_dimensions(small_run):
    path = small_run("reinvest-vs-dividend.yaml", ticks=20, sets=("output.snapshot_interval=10",))
    customers = load_run(path, group="customers")
    assert customers.sizes["snapshot"] == 2
    assert customers.active.dims == ("row",) and customers.satisfaction.dims == ("row", "platform")
    assert list(customers.snapshot_tick.values) == [0, 10]
    assert customers.sizes["row"] == int(customers.snapshot_rows.sum())
    with h5py.File(path, "r") as f:
        np.testing.assert_array_equal(customers.satisfaction.values, f["customers/satisfaction"][:])


def test_tidy_frame_has_a_row_per_tick_platform_and_variable(ds):
    names = per_platform(ds)
    frame = tidy_frame(ds)
    assert list(frame.columns) == ["tick", "platform", "variable", "value"]
    assert frame.shape == (TICKS * 2 * len(names), 4)
    assert set(frame.variable) == set(names) and set(frame.platform) == {"reinvest", "dividend"}
    orders = frame[(frame.variable == "orders") & (frame.platform == "dividend")].sort_values("tick")
    np.testing.assert_array_equal(orders.value.values, ds.orders.sel(platform="dividend").values)
    market = tidy_frame(ds, ["market_offers"])
    assert market.platform.isna().all() and len(market) == TICKS


def test_wide_frame_per_platform(ds):
    both = wide_frame(ds)
    assert both.index.names == ["tick", "platform"] and len(both) == TICKS * 2
    one = wide_frame(ds, "reinvest", ["orders", "take_rate"])
    assert list(one.columns) == ["orders", "take_rate"] and one.index.name == "tick"
    np.testing.assert_array_equal(one.take_rate.values, ds.take_rate.sel(platform="reinvest").values)
    assert both.loc[(TICKS - 1, "reinvest"), "orders"] == one.orders.iloc[-1]


def test_flatten_uses_dotted_keys_and_list_indices():
    flat = flatten({"a": {"b": 1, "c": [{"d": 2}, 3]}, "e": "x"})
    assert flat == {"a.b": 1, "a.c.0.d": 2, "a.c.1": 3, "e": "x"}
    assert differing([{"a": 1, "b": 2}, {"a": 1, "b": 3}, {"a": 1}]) == ["b"]


def test_numbers_without_a_dot_in_exponent_form_are_numbers(ds):
    # flywheel (yaml-cpp) writes 1e+05; PyYAML's YAML 1.1 alone would read it as a string.
    assert parse_config("a: 1e+05\nb: -2E-5\nc: 1.5e3\nd: '1e5'\ne: x1e5\nf: 7") == {
        "a": 1e5, "b": -2e-5, "c": 1.5e3, "d": "1e5", "e": "x1e5", "f": 7}
    texts = [v for v in flatten(run_config(ds)).values() if isinstance(v, str)]
    assert not [v for v in texts if re.fullmatch(r"[-+]?[0-9.]+(e[-+]?[0-9]+)?", v)], "numbers read as strings"


@pytest.fixture(scope="session")
def batch_paths(small_run):
    """Three runs of the flywheel scenario: seeds 1, 2, 3; the third with a lower take rate."""
    return [small_run(ticks=200, seed=1), small_run(ticks=200, seed=2),
            small_run(ticks=200, seed=3, sets=("platforms.0.take_rate=0.1",))]


def test_a_batch_has_a_run_dimension_labelled_by_what_differs(batch_paths):
    batch = load_runs(batch_paths)
    assert batch.sizes["run"] == 3 and batch.orders.dims == ("run", "tick", "platform")
    labels = {name for name, c in batch.coords.items() if c.dims == ("run",) and name != "run"}
    assert labels == {"path", "seed", "scenario", "platforms.0.take_rate"}
    assert list(batch.seed.values) == [1, 2, 3]
    assert list(batch.scenario.values) == ["flywheel"] * 3
    np.testing.assert_allclose(batch["platforms.0.take_rate"].values, [0.15, 0.15, 0.1])
    for i, path in enumerate(batch_paths):
        with h5py.File(path, "r") as f:
            np.testing.assert_array_equal(batch.orders.isel(run=i).values, f["orders"][:])
    assert batch.attrs["scenario"] == "flywheel" and "seed" not in batch.attrs  # shared kept, differing dropped


def test_a_lazy_batch_reads_the_same_values_when_computed(batch_paths, small_run):
    eager = load_runs(batch_paths)
    lazy = load_runs(batch_paths, lazy=True)
    assert isinstance(lazy.orders.data, dask.array.Array) and lazy.orders.data.chunks[0] == (1, 1, 1)
    for name in ("orders", "cash", "market_offers"):
        np.testing.assert_array_equal(lazy[name].values, eager[name].values, err_msg=name)
    def labels(batch):
        return {n: c.values.tolist() for n, c in batch.coords.items()}

    assert labels(lazy) == labels(eager)
    assert lazy.attrs == eager.attrs and lazy.orders.attrs == eager.orders.attrs
    # Runs of different lengths are not one layout: they are loaded whole and aligned as without `lazy`.
    mixed = load_runs([*batch_paths, small_run(ticks=150, seed=1)], lazy=True)
    assert isinstance(mixed.orders.data, np.ndarray) and mixed.sizes["tick"] == 200
    assert np.isnan(mixed.cash.isel(run=3, tick=180)).all()


def test_a_batch_from_a_glob_or_a_directory(batch_paths):
    folder = batch_paths[0].parent
    assert run_paths(str(folder / "flywheel-*-200-*.h5")) == sorted(batch_paths)
    assert run_paths(folder) == sorted(folder.glob("*.h5")) and len(run_paths(folder)) > 3
    with pytest.raises(FileNotFoundError):
        run_paths(str(folder / "nothing-*.h5"))
