"""Agent data as frames (flywheel_tools.agents): snapshots of customers, sellers and offers at a
tick, and panels of the sample output.sample follows."""

import h5py
import numpy as np
import pandas as pd
import pytest

from flywheel_tools import panel, snapshot, snapshot_ticks


@pytest.fixture(scope="session")
def run_path(small_run):
    return small_run("reinvest-vs-dividend.yaml", ticks=30, sets=("output.snapshot_interval=10",))


def test_every_table_is_snapshotted_at_the_same_ticks(run_path):
    for table in ("customers", "sellers", "offers"):
        assert snapshot_ticks(run_path, table) == [0, 10, 20], table


def test_customers_have_names_for_platform_codes_and_masks(run_path):
    customers = snapshot(run_path, tick=20)
    assert customers.attrs["tick"] == 20 and customers.index.name == "customer"
    with h5py.File(run_path, "r") as f:
        group = f["customers"]
        start, rows = int(group["snapshot_start"][2]), int(group["snapshot_rows"][2])
        codes = group["last_platform"][start:start + rows]
        masks = group["known_platforms"][start:start + rows]
        satisfaction = group["satisfaction"][start:start + rows]
    assert len(customers) == rows
    names = ["reinvest", "dividend"]
    expected = [names[c] if c != 255 else None for c in codes]
    assert [None if v is None or v != v else v for v in customers.last_platform.astype(object)] == expected
    np.testing.assert_array_equal(customers.knows_dividend.values, (masks & 2) == 2)
    np.testing.assert_array_equal(customers.satisfaction_reinvest.values, satisfaction[:, 0])
    assert (customers.last_platform.notna() <= customers.knows_reinvest | customers.knows_dividend).all()


def test_offers_name_their_sellers_by_id_and_their_platform(run_path):
    sellers = snapshot(run_path, table="sellers")
    offers = snapshot(run_path, table="offers")
    assert offers.attrs["tick"] == sellers.attrs["tick"] == 20
    assert set(offers.seller) <= set(sellers.id), "an offer names a seller that is not in the snapshot"
    assert set(offers.platform.dropna()) == {"reinvest", "dividend"}
    # Every seller's offers are in its category: the join is right.
    joined = offers.merge(sellers[["id", "category"]], left_on="seller", right_on="id", suffixes=("", "_seller"))
    assert len(joined) == len(offers) and (joined.category == joined.category_seller).all()
    assert (offers.price > 0).all() and offers.price_direction.isin([-1, 1]).all()


def test_a_missing_snapshot_is_named(run_path, small_run):
    with pytest.raises(KeyError, match="tick 5"):
        snapshot(run_path, tick=5)
    with pytest.raises(KeyError, match="snapshot_interval"):
        snapshot(small_run("reinvest-vs-dividend.yaml", ticks=5), table="offers")
    with pytest.raises(ValueError, match="customers, sellers, offers"):
        snapshot(run_path, table="platforms")


@pytest.fixture(scope="session")
def panel_run(small_run):
    return small_run("reinvest-vs-dividend.yaml", ticks=30,
                     sets=("output.snapshot_interval=10", "output.sample.every=5", "output.sample.customers=0.2",
                           "output.sample.sellers=0.3"))


def test_a_panel_follows_the_same_customers_at_every_panel_tick(panel_run):
    customers = panel(panel_run)
    ticks = customers.index.get_level_values("tick")
    assert sorted(set(ticks)) == [0, 5, 10, 15, 20, 25]
    followed = [set(customers.xs(t, level="tick").index) for t in (0, 25)]
    assert followed[0] == followed[1]
    total = len(snapshot(panel_run, tick=0))
    share = len(followed[0]) / total
    assert abs(share - 0.2) < 4 * np.sqrt(0.2 * 0.8 / total), share
    assert snapshot_ticks(panel_run, "customers") == [0, 10, 20]  # the snapshots keep their own schedule


def test_a_panels_rows_are_the_snapshots_rows_of_its_agents(panel_run):
    customers = panel(panel_run).xs(20, level="tick")
    full = snapshot(panel_run, tick=20).loc[customers.index]
    pd.testing.assert_frame_equal(customers, full, check_names=False)
    sellers = panel(panel_run, "sellers").xs(20, level="tick")
    all_sellers = snapshot(panel_run, tick=20, table="sellers").set_index("id").loc[sellers.index]
    pd.testing.assert_frame_equal(sellers, all_sellers, check_names=False)
    offers = panel(panel_run, "offers").xs(20, level="tick")
    all_offers = snapshot(panel_run, tick=20, table="offers")
    assert len(offers) == all_offers.seller.isin(sellers.index).sum() > 0
    assert set(offers.seller) <= set(sellers.index)


def test_a_missing_panel_is_named(run_path):
    with pytest.raises(KeyError, match="output.sample.every"):
        panel(run_path)
    with pytest.raises(ValueError, match="customers, sellers, offers"):
        panel(run_path, "platforms")
