"""A sweep's trade-offs (flywheel_tools.tradeoffs, `python3 -m flywheel_tools report SWEEP-DIR`): outcomes per
run, replicate bands, paired changes, the report's files, on a small ad-load sweep run by the binary."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from flywheel_tools import load_sweep, sweep_outcomes, tradeoff_table
from flywheel_tools.tradeoffs import swept_platform

# A market small enough for a run in a fraction of a second; alpha sells ads.
BASE = """\
name: ads-base
seed: 3
ticks: 60
market:
  categories: 30
  shards: 4
customers:
  count: 3000
  initially_active: 0.2
sellers:
  initial_per_category: 3
platforms:
  - name: alpha
  - name: beta
"""

SWEEP = """\
scenario: base.yaml
output: out
seed: 11
replicates: 3
threads: 1
parameters:
  platforms.alpha.ad_slots: [0, 2]
"""


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory, flywheel):
    folder = tmp_path_factory.mktemp("tradeoffs")
    (folder / "base.yaml").write_text(BASE)
    (folder / "sweep.yaml").write_text(SWEEP)
    result = subprocess.run([flywheel, "sweep", "sweep.yaml", "--jobs", "2"], capture_output=True, text=True,
                            cwd=folder, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder / "out"


def test_the_swept_key_names_the_platform():
    assert swept_platform("platforms.alpha.ad_slots", ["alpha", "beta"]) == "alpha"
    assert swept_platform("platforms.1.take_rate", ["alpha", "beta"]) == "beta"
    assert swept_platform("platforms.7.take_rate", ["alpha", "beta"]) is None
    assert swept_platform("customers.count", ["alpha"]) is None


@pytest.fixture(scope="module")
def batch(sweep_dir):
    return load_sweep(sweep_dir)


@pytest.fixture(scope="module")
def outcomes(sweep_dir):
    return sweep_outcomes(sweep_dir, platform="alpha", last=20)


def test_outcomes_are_window_means_of_the_platform(batch, outcomes):
    assert len(outcomes) == 6
    assert list(outcomes["platforms.alpha.ad_slots"]) == [0, 0, 0, 2, 2, 2]
    run = batch.isel(run=4)
    expected = float(run["consumer_surplus"].sel(platform="alpha").isel(tick=slice(-20, None)).mean())
    assert outcomes["consumer_surplus"].iloc[4] == pytest.approx(expected)
    units_1p = float(run["units_1p"].sel(platform="alpha").isel(tick=slice(-20, None)).sum())
    units_3p = float(run["units_3p"].sel(platform="alpha").isel(tick=slice(-20, None)).sum())
    assert outcomes["first_party_unit_share"].iloc[4] == pytest.approx(units_1p / (units_1p + units_3p))
    # No slots, no ad revenue; with slots, shoppers click sponsored positions and their sellers pay.
    assert (outcomes["ad_revenue"][:3] == 0).all()
    assert (outcomes["ad_revenue"][3:] > 0).all()


def test_all_platforms_sum_amounts_and_leave_ratios_out(sweep_dir, batch):
    summed = sweep_outcomes(sweep_dir, last=20)
    assert "mean_experience" not in summed.columns
    expected = float(batch.isel(run=1)["revenue"].isel(tick=slice(-20, None)).sum("platform").mean())
    assert summed["revenue"].iloc[1] == pytest.approx(expected)


def test_table_pairs_each_replicate_with_its_own_first_value(outcomes):
    table = tradeoff_table(outcomes, "platforms.alpha.ad_slots")
    revenue = table[table.metric == "revenue"].set_index("platforms.alpha.ad_slots")
    assert revenue.loc[0, "change"] == 0 and revenue.loc[0, "replicates"] == 3
    by_replicate = outcomes.pivot(index="replicate", columns="platforms.alpha.ad_slots", values="revenue")
    differences = by_replicate[2] - by_replicate[0]
    assert revenue.loc[2, "change"] == pytest.approx(differences.mean())
    assert revenue.loc[2, "change_low"] < differences.mean() < revenue.loc[2, "change_high"]
    mean = table[table.metric == "revenue"]
    assert (mean["low"] <= mean["mean"]).all() and (mean["mean"] <= mean["high"]).all()


def test_report_command_writes_plots_table_and_page(sweep_dir, tmp_path):
    out = tmp_path / "report"
    result = subprocess.run([sys.executable, "-m", "flywheel_tools", "report", str(sweep_dir), "-o", str(out),
                             "--last", "30"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (out / "tradeoffs-platforms-alpha-ad-slots.png").stat().st_size > 1000
    table = pd.read_csv(out / "tradeoffs.csv")
    assert set(table.parameter) == {"platforms.alpha.ad_slots"}
    assert {"ad_revenue", "consumer_surplus", "profit_3p", "first_party_unit_share"} <= set(table.metric)
    assert np.isfinite(table["mean"]).all()
    page = (out / "index.html").read_text()
    assert "alpha" in page and "last 30 days" in page and "tradeoffs-platforms-alpha-ad-slots.png" in page


def test_report_command_refuses_a_bad_window(sweep_dir, tmp_path):
    result = subprocess.run([sys.executable, "-m", "flywheel_tools", "report", str(sweep_dir), "--last", "0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "--last" in result.stderr
