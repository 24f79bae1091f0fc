"""Declared measures (output.measures): each series equals the same figure computed from a snapshot
taken at the same tick, for a mean, a quantile, a count and a sum, with filters and per platform."""

import h5py
import numpy as np
import pytest

from conftest import run
from flywheel_tools import snapshot

MEASURES = """\
name: measured
seed: 3
ticks: 21
market: {categories: 20, shards: 4}
customers: {count: 3000, initially_active: 0.2}
platforms: [{name: alpha}, {name: beta}]
output:
  snapshot_interval: 10
  measures:
    - {name: price_in_stock, table: offers, statistic: mean, column: price, by: platform,
       where: [{column: stock, op: ">", value: 0}]}
    - {name: median_rate_of_shoppers, table: customers, statistic: quantile, q: 0.5, column: shopping_rate,
       where: [{column: active, op: "==", value: 1}], every: 5}
    - {name: member_count, table: customers, statistic: count, by: member_of}
    - {name: seller_cash, table: sellers, statistic: sum, column: cash, where: [{column: owner, op: "==", value: 255}]}
    - {name: dearest, table: offers, statistic: max, column: price}
"""


@pytest.fixture(scope="module")
def measured(flywheel, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("measures")
    config = tmp / "measured.yaml"
    config.write_text(MEASURES)
    out = tmp / "measured.h5"
    result = run(flywheel, "run", config, "-o", out, "--threads", 2)
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        series = {name: f[name][:] for name in ("price_in_stock", "median_rate_of_shoppers", "member_count",
                                                "seller_cash", "dearest")}
        attrs = {name: dict(f[name].attrs) for name in series}
    return out, series, attrs


@pytest.mark.parametrize("tick", [10, 20])
def test_each_measure_equals_the_figure_from_a_snapshot(measured, tick):
    out, series, _ = measured
    offers = snapshot(out, tick=tick, table="offers")
    customers = snapshot(out, tick=tick)
    sellers = snapshot(out, tick=tick, table="sellers")
    in_stock = offers[offers.stock > 0]
    for p, name in enumerate(["alpha", "beta"]):
        expected = in_stock.price[in_stock.platform == name].astype(np.float64).mean()
        np.testing.assert_allclose(series["price_in_stock"][tick, p], expected, rtol=1e-12)
    shoppers = customers.shopping_rate[customers.active == 1].astype(np.float64)
    np.testing.assert_allclose(series["median_rate_of_shoppers"][tick], np.quantile(shoppers, 0.5), rtol=1e-12)
    for p, name in enumerate(["alpha", "beta"]):
        assert series["member_count"][tick, p] == (customers.member_of == name).sum()
    np.testing.assert_allclose(series["seller_cash"][tick], sellers.cash[sellers.owner.isna()].sum(), rtol=1e-12)
    assert series["dearest"][tick] == offers.price.astype(np.float64).max()


def test_a_measure_not_due_is_nan_and_carries_its_units(measured):
    _, series, attrs = measured
    rates = series["median_rate_of_shoppers"]
    assert np.isnan(rates[1:5]).all() and not np.isnan(rates[[0, 5, 10, 15, 20]]).any()
    assert attrs["median_rate_of_shoppers"]["units"] == "d-1"
    assert attrs["price_in_stock"]["currency"]  # money: units 1 and the currency attribute
    assert attrs["member_count"]["units"] == "1"
    assert "quantile 0.5 of customers.shopping_rate where active == 1" in attrs["median_rate_of_shoppers"]["long_name"]
    assert attrs["member_count"]["cell_methods"] == "tick: point"


def test_a_bad_measure_is_refused_at_its_key(flywheel, tmp_path):
    cases = {
        "{name: m, table: offers, statistic: mean, column: prise}":
            "offers have no column 'prise' to measure; their columns: seller, category, platform, price",
        "{name: m, table: offers, statistic: mean, column: price, by: stock}":
            "offers have no column of platform codes 'stock' to measure; those there are: platform",
        "{name: m, table: customers, statistic: mean, column: satisfaction}": "customers have no column 'satisfaction'",
        "{name: m, table: offers, statistic: mean}": "the statistic needs a column to read",
        "{name: orders, table: offers, statistic: count}":
            "'orders' is already the name of a variable or group of the output file",
    }
    for measure, message in cases.items():
        config = tmp_path / "bad.yaml"
        config.write_text(f"ticks: 2\ncustomers: {{count: 100}}\noutput:\n  measures:\n    - {measure}\n")
        result = run(flywheel, "validate", config)
        assert result.returncode == 2 and message in result.stderr, (measure, result.stderr)
        assert "output.measures[0]" in result.stderr and str(config) in result.stderr, result.stderr
