"""flywheel_tools value-of-data: the ranker's errors against cumulative orders, binned; the returns of data."""

import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from flywheel_tools import (age_standardised_errors, cumulative_orders, diminishing_returns, errors_by_offer_age,
                            gain_per_order, load_run, snapshot, value_of_data, value_of_data_figure)
from flywheel_tools.value_of_data import KEYS, SERIES

COLUMNS = [*KEYS, "replicates", *SERIES]


def tools(*args):
    """Runs `python3 -m flywheel_tools` with this interpreter."""
    return subprocess.run([sys.executable, "-m", "flywheel_tools", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def write_run(path, platforms, **series):
    """A run file as flywheel lays it out, as far as value_of_data reads it: `tick`, `platform`, and each
    of `series` (a list per platform) as a (tick, platform) dataset."""
    columns = {name: np.column_stack([np.asarray(v, float) for v in values]) for name, values in series.items()}
    ticks = next(iter(columns.values())).shape[0]
    with h5py.File(path, "w") as f:
        f["tick"] = np.arange(ticks, dtype=np.int64)
        f.create_dataset("platform", data=platforms, dtype=h5py.string_dtype())
        for name, values in columns.items():
            counts = ("orders", "visits", "offers", "returns", "listed_offers", "listed_visits")
            f[name] = values.astype(np.int64) if name in counts else values
    return path


# Platform a: cumulative orders before each day 0, 1, 3, 7, 15, 31. Platform b: no orders on its first
# three days, no visits on its first (its taste and regret figures of that day must not count).
A = {"orders": [1, 2, 4, 8, 16, 32], "visits": [10, 10, 20, 20, 40, 40], "offers": [5, 5, 5, 10, 10, 10],
     "returns": [0, 1, 0, 1, 0, 1], "ranker_error": [0.5, 0.4, 0.3, 0.2, 0.15, 0.1],
     "taste_error": [0.25, 0.2, 0.2, 0.1, 0.1, 0.05], "list_regret": [1.0, 0.8, 0.6, 0.4, 0.3, 0.2],
     "conversion": [0.1, 0.2, 0.2, 0.4, 0.4, 0.8], "mean_experience": [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]}
B = {"orders": [0, 0, 0, 5, 5, 5], "visits": [0, 4, 4, 8, 8, 8], "offers": [2, 2, 2, 2, 2, 2],
     "returns": [0, 0, 0, 0, 0, 0], "ranker_error": [0.6, 0.6, 0.6, 0.5, 0.5, 0.5],
     "taste_error": [0.0, 0.25, 0.25, 0.2, 0.2, 0.2], "list_regret": [0.0, 2.0, 2.0, 1.0, 1.0, 1.0],
     "conversion": [0.0, 0.0, 0.0, 0.625, 0.625, 0.625], "mean_experience": [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]}
EDGES = [0, 2, 10, 40]  # a: days 0-1 in bin 0, 2-3 in bin 1, 4-5 in bin 2; b: 0, 0, 0, 0, 5, 10 -> 0, 0, 0, 0, 1, 2


@pytest.fixture
def synthetic(tmp_path):
    series = {name: [A[name], B[name]] for name in A}
    return write_run(tmp_path / "synthetic.h5", ["a", "b"], **series)


def weighted(values, weights, days):
    return np.dot(np.take(values, days), np.take(weights, days)) / np.sum(np.take(weights, days))


def test_the_binning_arithmetic_on_a_file_with_known_values(synthetic):
    table = value_of_data(synthetic, edges=EDGES)
    assert list(table.columns) == COLUMNS
    assert list(zip(table.platform, table.bin)) == [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("b", 2)]
    assert table.ticks.tolist() == [2, 2, 2, 4, 1, 1] and table.replicates.tolist() == [1] * 6
    assert table.orders_from.tolist() == [0, 2, 10, 0, 2, 10] and table.orders_to.tolist() == [2, 10, 40] * 2
    a = table[table.platform == "a"].reset_index(drop=True)
    np.testing.assert_allclose(a.cumulative_orders, [0.5, 5, 23])
    np.testing.assert_allclose(a.ranker_error, [0.45, (0.3 * 5 + 0.2 * 10) / 15, 0.125])
    np.testing.assert_allclose(a.taste_error, [0.225, 0.15, 0.075])
    np.testing.assert_allclose(a.list_regret, [0.9, 0.5, 0.25])
    np.testing.assert_allclose(a.conversion, [3 / 20, 12 / 40, 48 / 80])  # orders / visits over the bin
    purchases = np.add(A["orders"], A["returns"])
    np.testing.assert_allclose(a.mean_experience, [weighted(A["mean_experience"], purchases, d)
                                                   for d in ([0, 1], [2, 3], [4, 5])])
    b = table[table.platform == "b"].reset_index(drop=True)
    np.testing.assert_allclose(b.cumulative_orders, [0, 5, 10])
    np.testing.assert_allclose(b.taste_error, [(0.25 * 8 + 0.2 * 8) / 16, 0.2, 0.2])  # day 0: no visits
    np.testing.assert_allclose(b.list_regret, [(2 * 4 + 2 * 4 + 8) / 16, 1, 1])
    np.testing.assert_allclose(b.mean_experience, [1, 1, 1])  # days without purchases do not count
    np.testing.assert_allclose(b.conversion, [5 / 16, 5 / 8, 5 / 8])


def test_several_runs_are_averaged_bin_by_bin_with_their_count(synthetic, tmp_path):
    halved = {name: [A[name], B[name]] for name in A}
    halved["ranker_error"] = [np.divide(A["ranker_error"], 2), B["ranker_error"]]
    short = {name: [A[name][:3], B[name][:3]] for name in A}  # reaches a's bin 1 only, b's bin 0
    second = write_run(tmp_path / "halved.h5", ["a", "b"], **halved)
    third = write_run(tmp_path / "short.h5", ["a", "b"], **short)
    one = value_of_data(synthetic, edges=EDGES)
    table = value_of_data([synthetic, second, third], edges=EDGES)
    assert table.replicates.tolist() == [3, 3, 2, 3, 2, 2]
    assert table.ticks.tolist() == [6, 5, 4, 11, 2, 2]
    a = table[table.platform == "a"].reset_index(drop=True)
    np.testing.assert_allclose(a.ranker_error, [(0.45 + 0.225 + 0.45) / 3, (3.5 / 15 + 1.75 / 15 + 0.3) / 3,
                                                0.75 * 0.125])
    np.testing.assert_allclose(a.ranker_error[1], (one.ranker_error[1] * 1.5 + 0.3) / 3)
    np.testing.assert_allclose(a.cumulative_orders, [0.5, (5 + 5 + 3) / 3, 23])
    runs = value_of_data([synthetic, second, third], edges=EDGES, by_run=True)
    assert list(runs.columns) == ["run", *KEYS, *SERIES]
    assert runs.run.unique().tolist() == [str(synthetic), str(second), str(third)]
    assert len(runs) == 6 + 6 + 3


def test_automatic_bins_are_log_spaced_from_the_first_order_and_the_first_holds_day_0(synthetic):
    table = value_of_data(synthetic, bins=3)
    edges = np.geomspace(1, 31, 4)  # the smallest positive cumulative count (a's day 1) to the largest
    edges[0] = 0
    np.testing.assert_allclose(table.orders_from.unique(), edges[:3])
    np.testing.assert_allclose(table.orders_to.unique(), edges[1:])
    assert table.ticks.sum() == 12  # every day of both platforms, the last one too (in the closed last bin)
    a = table[table.platform == "a"]
    assert a.ticks.tolist() == [3, 1, 2]  # cumulative 0, 1, 3 | 7 | 15, 31
    with pytest.raises(ValueError):
        value_of_data(synthetic, edges=[0, 5, 5])
    with pytest.raises(ValueError):
        value_of_data(synthetic, bins=0)


def test_the_errors_are_weighted_by_their_own_denominators_where_the_file_has_them(tmp_path):
    listed_offers, listed_visits = [40, 8, 80, 30, 300, 10], [9, 1, 18, 3, 36, 4]
    series = {name: [A[name], B[name]] for name in A}
    series["listed_offers"] = [listed_offers, B["offers"]]
    series["listed_visits"] = [listed_visits, B["visits"]]
    table = value_of_data(write_run(tmp_path / "weights.h5", ["a", "b"], **series), edges=EDGES)
    a = table[table.platform == "a"].reset_index(drop=True)
    days = ([0, 1], [2, 3], [4, 5])
    np.testing.assert_allclose(a.ranker_error, [weighted(A["ranker_error"], listed_offers, d) for d in days])
    np.testing.assert_allclose(a.taste_error, [weighted(A["taste_error"], listed_visits, d) for d in days])
    np.testing.assert_allclose(a.list_regret, [0.9, 0.5, 0.25])  # still by visits


def test_a_file_without_the_new_series_gives_nan_columns(tmp_path):
    path = write_run(tmp_path / "old.h5", ["p"], orders=[[1, 2, 3]], visits=[[4, 4, 4]],
                     ranker_error=[[0.3, 0.2, 0.1]], conversion=[[0.25, 0.5, 0.75]])
    table = value_of_data(path, bins=2)
    assert table.taste_error.isna().all() and table.list_regret.isna().all() and table.mean_experience.isna().all()
    assert table.ranker_error.notna().all()  # without `offers`, each day counts once
    np.testing.assert_allclose(table.ranker_error, [0.25, 0.1])


def test_gain_per_order_and_the_fit_on_a_known_curve():
    # An error that falls by 0.1 per e-fold of orders: the slope is -0.1 and each order buys less.
    orders = np.array([10.0, 100.0, 1000.0, 10000.0])
    error = 1 - 0.1 * np.log(orders)
    table = pd.DataFrame({"platform": "p", "bin": range(4), "cumulative_orders": orders,
                          "ranker_error": error, "list_regret": 2 * error})
    gains = gain_per_order(table)
    np.testing.assert_allclose(gains.ranker_error_gain[1:], 0.1 * np.log(10) / np.diff(orders))
    assert np.isnan(gains.ranker_error_gain[0])
    np.testing.assert_allclose(gains.list_regret_gain[1:], 2 * gains.ranker_error_gain[1:])
    fit = diminishing_returns(table).set_index("series")
    np.testing.assert_allclose(fit.slope, [-0.1, -0.2])
    np.testing.assert_allclose(fit.r2, [1, 1])
    assert fit.bins.tolist() == [4, 4] and fit.gains_fall.all()
    np.testing.assert_allclose(fit.loc["ranker_error", "first_gain"], 0.1 * np.log(10) / 90)
    np.testing.assert_allclose(fit.peak_orders, [10, 10])  # falling from the first bin
    np.testing.assert_allclose(fit.slope_after_peak, fit.slope)


def test_an_error_that_rises_before_it_falls_is_measured_from_its_peak():
    orders = np.array([10.0, 100.0, 1000.0, 10000.0, 100000.0])
    table = pd.DataFrame({"platform": "p", "bin": range(5), "cumulative_orders": orders,
                          "ranker_error": [0.3, 0.4, 0.3, 0.25, 0.225], "list_regret": [0.0, 0.0, 0.1, 0.2, 0.3]})
    fit = diminishing_returns(table).set_index("series")
    error = fit.loc["ranker_error"]
    assert error.peak_orders == 100 and error.gains_fall
    np.testing.assert_allclose([error.first_gain, error.last_gain], [0.1 / 900, 0.025 / 90000])
    slope, _ = np.polyfit(np.log(orders[1:]), [0.4, 0.3, 0.25, 0.225], 1)
    np.testing.assert_allclose(error.slope_after_peak, slope)
    regret = fit.loc["list_regret"]  # rising throughout: its peak is the last bin, nothing after it
    assert regret.peak_orders == 100000 and regret.slope > 0 and not regret.gains_fall
    assert np.isnan(regret.slope_after_peak) and np.isnan(regret.first_gain)


@pytest.fixture(scope="session")
def run_path(small_run):
    return small_run("flywheel.yaml", ticks=300)


@pytest.fixture(scope="session")
def table(run_path):
    return value_of_data(run_path, bins=6)


def test_a_run_has_a_row_per_platform_and_bin_reached(table, run_path):
    ds = load_run(run_path)
    assert list(table.columns) == COLUMNS
    assert set(table.platform) == set(ds.platform.values)
    assert table.bin.between(0, 5).all() and table.replicates.eq(1).all()
    for platform, rows in table.groupby("platform"):
        assert rows.ticks.sum() == ds.sizes["tick"], platform  # every day in one bin
        assert rows.bin.is_monotonic_increasing and rows.bin.is_unique
        assert rows.cumulative_orders.is_monotonic_increasing
        inside = (rows.cumulative_orders >= rows.orders_from) & (rows.cumulative_orders <= rows.orders_to)
        assert inside.all()
    assert np.isfinite(table.ranker_error).all() and (table.ranker_error >= 0).all()
    assert table.conversion.between(0, 1).all()


def test_cumulative_orders_are_monotone_and_end_at_the_total(run_path):
    ds = load_run(run_path)
    cumulative = cumulative_orders(ds)
    assert (cumulative.diff("tick") >= 0).all()
    assert (cumulative.isel(tick=0) == 0).all()
    total = ds.orders.sum("tick") - ds.orders.isel(tick=-1)
    np.testing.assert_array_equal(cumulative.isel(tick=-1).values, total.values)
    from_dataset = value_of_data(ds, bins=6)
    pd.testing.assert_frame_equal(from_dataset, value_of_data(run_path, bins=6))


def test_diminishing_returns_of_a_run(table):
    fit = diminishing_returns(table)
    assert list(fit.columns) == ["platform", "series", "bins", "slope", "r2", "peak_orders", "slope_after_peak",
                                 "first_gain", "last_gain", "gains_fall"]
    assert len(fit) == 2 * table.platform.nunique()
    assert set(fit.series) == {"ranker_error", "list_regret"}


def test_the_figure_has_a_panel_per_series_and_the_gain(table):
    fig = value_of_data_figure(table)
    assert len(fig.axes) == len(SERIES) + 1
    assert all(ax.get_xscale() == "log" for ax in fig.axes)
    assert all(len(ax.get_lines()) >= table.platform.nunique() for ax in fig.axes)


def test_the_command_prints_the_table_and_writes_the_csv_and_png(run_path, table, tmp_path):
    csv, png = tmp_path / "value.csv", tmp_path / "value.png"
    result = tools("value-of-data", run_path, run_path, "--bins", 6, "--csv", csv, "--png", png)
    assert result.returncode == 0, result.stderr
    assert "cumulative_orders" in result.stdout and "diminishing returns" in result.stdout
    written = pd.read_csv(csv)
    assert list(written.columns) == [*COLUMNS, "ranker_error_gain", "list_regret_gain"]
    assert written.replicates.eq(2).all() and (written.ticks == 2 * table.ticks.values).all()
    np.testing.assert_allclose(written.ranker_error, table.ranker_error)
    assert png.stat().st_size > 10000


def test_the_command_refuses_a_missing_file(tmp_path):
    result = tools("value-of-data", tmp_path / "missing.h5")
    assert result.returncode == 1 and result.stderr.startswith("flywheel_tools: error:")
    assert result.stderr.count("\n") == 1, result.stderr


# --- errors by offer age ------------------------------------------------------------------------------------

TIPPING = Path(__file__).resolve().parents[2] / "configs" / "tipping.yaml"


@pytest.fixture(scope="module")
def tipping_run(flywheel, tmp_path_factory):
    """Three years of `tipping` with the offers snapshotted at the end."""
    path = tmp_path_factory.mktemp("offer_learning") / "tipping.h5"
    done = subprocess.run([flywheel, "run", TIPPING, "--ticks", "1096", "--set", "output.snapshot_interval=1095",
                           "-o", path, "--progress", "off"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return path


def test_an_offers_error_is_its_posterior_mean_against_its_sellers_true_quality(tipping_run):
    table = errors_by_offer_age(tipping_run, tick=1095)
    offers, sellers = snapshot(tipping_run, 1095, "offers"), snapshot(tipping_run, 1095, "sellers")
    quality = dict(zip(sellers.id, sellers.quality))
    own = dict(zip(sellers.id, sellers.owner.notna()))
    shown = offers[offers.selling_from <= 1095]
    age = 1095 - shown.selling_from
    with h5py.File(tipping_run, "r") as f:  # the prior means the ranker learnt by the day's close
        prior_means = {kind: f[f"ranker_prior_mean_{kind}"][1095] for kind in ("1p", "3p")}
    for index, platform in enumerate(("alpha", "beta", "gamma")):  # prior_sd 1: prior precision 1
        mine = shown[(shown.platform == platform) & (age >= 365) & (age < 730)]
        errors = [abs((prior_means["1p" if own[seller] else "3p"][index] + s) / (1.0 + p) - quality[seller])
                  for s, p, seller in zip(mine.evidence_sum, mine.evidence_precision, mine.seller)]
        row = table[(table.platform == platform) & (table.age_from == 365)].iloc[0]
        assert row.offers == len(errors)
        assert row.error == pytest.approx(np.mean(errors))
        assert row.median_precision == pytest.approx(np.median(mine.evidence_precision.astype(float)))
    assert table.offers.sum() == len(shown)


def test_offers_are_known_better_the_longer_they_have_sold(tipping_run):
    table = errors_by_offer_age(tipping_run)  # the last snapshot
    for platform, rows in table.groupby("platform"):
        youngest, oldest = rows.iloc[0], rows.iloc[-1]
        assert oldest.age_from > youngest.age_from
        assert oldest.median_precision > 4 * max(youngest.median_precision, 0.25), rows
        # New offers start at the learnt prior mean, so their errors are about the spread of entrants' quality
        # (0.64 at most); the oldest have sold for years.
        assert oldest.error < 0.75 * youngest.error, rows


def test_a_run_without_snapshots_is_refused_with_what_to_set(synthetic):
    with pytest.raises(KeyError, match="snapshot_interval"):
        errors_by_offer_age(synthetic)


def test_age_standardised_errors_weigh_each_platforms_errors_by_age_with_the_pooled_age_mix(tipping_run):
    table = age_standardised_errors(tipping_run, tick=1095)
    by_age = errors_by_offer_age(tipping_run, tick=1095)
    mix = by_age.groupby("age_from").offers.sum() / by_age.offers.sum()
    pooled = by_age.groupby("age_from").apply(lambda rows: np.average(rows.error, weights=rows.offers))
    with h5py.File(tipping_run, "r") as f:
        orders = f["orders"][:1096].sum(axis=0)
    assert list(table.platform) == ["alpha", "beta", "gamma"] and (table.tick == 1095).all()
    for index, row in table.iterrows():
        mine = by_age[by_age.platform == row.platform].set_index("age_from")
        assert row.offers == mine.offers.sum()
        assert row.error == pytest.approx(np.average(mine.error, weights=mine.offers))
        per_age = mine.error.reindex(mix.index).fillna(pooled)  # a platform without offers of an age: the pool's
        assert row.standardised_error == pytest.approx(float((per_age * mix).sum()))
        assert row.orders == orders[index]
