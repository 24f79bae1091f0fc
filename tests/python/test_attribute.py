"""`flywheel attribute`: knockouts against a baseline over seeds with common
random numbers, branched or not, with interactions and Shapley values."""

import os
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

CONFIG = Path(__file__).resolve().parents[2] / "configs" / "flywheel.yaml"
# Shrunk to 20,000 customers and 400 days; without browsing trips, which slow
# the first two years, so that the loops have a market to act on by day 400.
SMALL = ["--set", "customers.count=20000", "--set", "customers.need_spread=0", "--ticks", "400"]
SEEDS = 5


def attribute(flywheel, output, *args, launcher=(), env=None):
    return subprocess.run([*launcher, flywheel, "attribute", str(CONFIG), *SMALL, *map(str, args), "-o", str(output)],
                          capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def knockouts(flywheel, tmp_path_factory):
    """Three loops (one, multi-homing, with nothing to do on one platform) and their pairs over five seeds."""
    output = tmp_path_factory.mktemp("attribution")
    done = attribute(flywheel, output, "--seeds", SEEDS, "--loops", "word_of_mouth,membership,multi_homing", "--pairs")
    assert done.returncode == 0, done.stderr
    return output, done


def seed_values(output, variant, metric, horizon):
    seeds = pd.read_csv(output / "attribution_seeds.csv")
    rows = seeds[(seeds.variant == variant) & (seeds.metric == metric) & (seeds.horizon == horizon)]
    return rows.sort_values("replicate").value.to_numpy()


def test_a_loop_that_changes_nothing_has_an_effect_of_exactly_zero(knockouts):
    output, _ = knockouts
    rows = pd.read_csv(output / "attribution.csv")
    no_op = rows[(rows.loops == "multi_homing") & (rows.kind == "knockout")]
    assert len(no_op) == 15 * 2  # every metric at both horizons (365 and 400 days)
    # The day half the customers were active is undefined (NaN) in both where neither got there by the horizon.
    unreached = (no_op.metric == "half_adoption_day") & no_op.baseline.isna()
    assert (no_op[~unreached].loop_effect == 0).all()
    assert (no_op[~unreached].loop_effect_low == 0).all() and (no_op[~unreached].loop_effect_high == 0).all()
    assert no_op[unreached].loop_effect.isna().all()
    assert (no_op.knockout.fillna(-1) == no_op.baseline.fillna(-1)).all()


def test_the_half_adoption_day_is_the_first_day_half_the_customers_were_active(flywheel, tmp_path):
    # SMALL's market is far from half its customers by day 400; this one starts near it.
    done = attribute(flywheel, tmp_path, "--seeds", 2, "--loops", "word_of_mouth", "--set",
                     "customers.initially_active=0.45")
    assert done.returncode == 0, done.stderr
    seeds = pd.read_csv(tmp_path / "attribution_seeds.csv")
    files = pd.read_csv(tmp_path / "index.csv").set_index("id").file
    days = seeds[seeds.metric == "half_adoption_day"]
    assert len(days) == 4 * 2  # every run at both horizons
    reached = 0
    for row in days.itertuples():
        with h5py.File(tmp_path / files[row.run]) as f:
            active = f["market_active_customers"][:row.horizon].ravel()
        first = np.flatnonzero(active >= 20000 / 2)  # SMALL's customers
        if first.size:
            reached += 1
            assert row.value == first[0], row
        else:
            assert np.isnan(row.value), row
    assert reached > 0  # the check has days to compare
    assert "day half the customers active" in done.stdout


def test_since_a_day_flows_run_from_it_to_each_horizon_from_the_runs_already_made(flywheel, knockouts, tmp_path):
    output, _ = knockouts
    shutil.copytree(output, tmp_path / "since")
    done = attribute(flywheel, tmp_path / "since", "--seeds", SEEDS, "--loops", "word_of_mouth,membership,multi_homing",
                     "--pairs", "--since", 200)
    assert done.returncode == 0, done.stderr
    assert "0 of 0 runs ran to completion, 35 were already complete" in done.stdout
    assert "gmv from day 200" in done.stdout
    with h5py.File(tmp_path / "since" / "attribution.h5") as f:
        assert f.attrs["since"] == 200
    seeds = pd.read_csv(tmp_path / "since" / "attribution_seeds.csv")
    assert sorted(seeds.horizon.unique()) == [365, 400]
    files = pd.read_csv(output / "index.csv").set_index("id").file
    for run in ["run-0000", "run-0001"]:
        with h5py.File(output / files[run]) as f:
            orders, visits = f["orders"][:].sum(axis=1), f["visits"][:].sum(axis=1)
        for horizon in [365, 400]:
            mine = seeds[(seeds.run == run) & (seeds.horizon == horizon)].set_index("metric").value
            assert mine["orders"] == pytest.approx(orders[200:horizon].sum())
            assert mine["conversion"] == pytest.approx(orders[200:horizon].sum() / visits[200:horizon].sum())
    # Stocks do not depend on the window.
    before = pd.read_csv(output / "attribution_seeds.csv")
    stock = ["run", "metric", "horizon", "value"]
    after = seeds[seeds.metric == "active_customers"][stock].reset_index(drop=True)
    before = before[(before.metric == "active_customers") & (before.horizon > 200)][stock].reset_index(drop=True)
    assert after.equals(before)


def test_word_of_mouth_and_membership_carry_weight(knockouts):
    output, done = knockouts
    rows = pd.read_csv(output / "attribution.csv")
    # Word of mouth brings customers; membership makes members buy more (few have come to know it by day 400).
    for loop, metric in (("word_of_mouth", "active_customers"), ("membership", "orders")):
        effect = rows[(rows.loops == loop) & (rows.kind == "knockout") & (rows.metric == metric)
                      & (rows.horizon == 400)].iloc[0]
        assert effect.loop_effect_low > 0, effect
    assert "word_of_mouth" in done.stdout and "attribution.csv" in done.stdout


def test_common_random_numbers_make_the_effect_tighter_than_the_noise_between_seeds(knockouts):
    output, _ = knockouts
    for loop in ("word_of_mouth", "membership"):
        for metric in ("active_customers", "orders", "gmv"):
            baseline = seed_values(output, "baseline", metric, 400)
            knockout = seed_values(output, loop, metric, 400)
            paired = baseline - knockout
            independent = np.array([baseline[i] - baseline[j] for i in range(SEEDS) for j in range(i + 1, SEEDS)])
            assert paired.std(ddof=1) < independent.std(ddof=1), (loop, metric)


def test_the_interval_is_the_student_t_interval_of_the_per_seed_effects(knockouts):
    from scipy import stats

    output, _ = knockouts
    rows = pd.read_csv(output / "attribution.csv")
    row = rows[(rows.loops == "word_of_mouth") & (rows.kind == "knockout") & (rows.metric == "gmv")
               & (rows.horizon == 365)].iloc[0]
    effect = seed_values(output, "baseline", "gmv", 365) - seed_values(output, "word_of_mouth", "gmv", 365)
    half = stats.t.ppf(0.975, SEEDS - 1) * effect.std(ddof=1) / np.sqrt(SEEDS)
    assert row.loop_effect == pytest.approx(effect.mean())
    assert row.loop_effect_low == pytest.approx(effect.mean() - half)
    assert row.loop_effect_high == pytest.approx(effect.mean() + half)
    assert row.seeds == SEEDS


def test_the_relative_effect_is_the_geometric_mean_ratio_with_a_t_interval_on_the_log_ratios(knockouts):
    from scipy import stats

    output, _ = knockouts
    rows = pd.read_csv(output / "attribution.csv")
    row = rows[(rows.loops == "word_of_mouth") & (rows.kind == "knockout") & (rows.metric == "orders")
               & (rows.horizon == 400)].iloc[0]
    logs = np.log(seed_values(output, "baseline", "orders", 400) / seed_values(output, "word_of_mouth", "orders", 400))
    half = stats.t.ppf(0.975, SEEDS - 1) * logs.std(ddof=1) / np.sqrt(SEEDS)
    assert row.relative_effect == pytest.approx(np.expm1(logs.mean()))
    assert row.relative_effect_low == pytest.approx(np.expm1(logs.mean() - half))
    assert row.relative_effect_high == pytest.approx(np.expm1(logs.mean() + half))
    assert row.relative_effect_low > 0  # word of mouth brings orders at every seed
    # Undefined where it cannot be a ratio: a pair's interaction, and a metric that is 0 at a seed.
    assert rows[rows.kind == "interaction"].relative_effect.isna().all()
    zero = rows[(rows.kind == "knockout") & (rows.baseline == 0)]
    assert zero.relative_effect.isna().all()


def test_an_interaction_is_the_pair_effect_less_the_single_effects(knockouts):
    output, _ = knockouts
    rows = pd.read_csv(output / "attribution.csv").set_index(["loops", "kind", "metric", "horizon"])
    both = rows.loc[("word_of_mouth+membership", "knockout", "orders", 400)].loop_effect
    one = rows.loc[("word_of_mouth", "knockout", "orders", 400)].loop_effect
    other = rows.loc[("membership", "knockout", "orders", 400)].loop_effect
    interaction = rows.loc[("word_of_mouth+membership", "interaction", "orders", 400)].loop_effect
    assert interaction == pytest.approx(both - one - other)


def test_the_table_file_holds_the_csv_rows(knockouts):
    output, _ = knockouts
    rows = pd.read_csv(output / "attribution.csv", float_precision="round_trip")
    with h5py.File(output / "attribution.h5") as table:
        assert table["loops"].asstr()[:].tolist() == rows.loops.tolist()
        np.testing.assert_array_equal(table["loop_effect"][:], rows.loop_effect.to_numpy())
        assert table.attrs["seeds"] == SEEDS


def test_a_second_start_runs_nothing_again_and_gives_the_same_results(flywheel, knockouts):
    output, _ = knockouts
    before = (output / "attribution.csv").read_text()
    again = attribute(flywheel, output, "--seeds", SEEDS, "--loops", "word_of_mouth,membership,multi_homing", "--pairs")
    assert again.returncode == 0, again.stderr
    assert "0 of 0 runs ran to completion, 35 were already complete" in again.stdout
    assert (output / "attribution.csv").read_text() == before


def test_shapley_values_add_up_to_the_effect_of_all_the_loops(flywheel, tmp_path):
    done = attribute(flywheel, tmp_path, "--seeds", 2, "--loops", "word_of_mouth,membership,scale_economies",
                     "--shapley")
    assert done.returncode == 0, done.stderr
    rows = pd.read_csv(tmp_path / "attribution.csv")
    for metric in ("active_customers", "gmv", "price_index"):
        at = rows[(rows.metric == metric) & (rows.horizon == 400)]
        shapley = at[at.kind == "shapley"].loop_effect.sum()
        total = at[(at.kind == "knockout") & (at.loops == "word_of_mouth+membership+scale_economies")].loop_effect
        assert shapley == pytest.approx(total.iloc[0], rel=1e-9, abs=1e-9)


def test_knockouts_branched_from_the_baseline_share_its_past(flywheel, tmp_path):
    plain = attribute(flywheel, tmp_path / "plain", "--seeds", 2, "--loops", "word_of_mouth")
    branched = attribute(flywheel, tmp_path / "branched", "--seeds", 2, "--loops", "word_of_mouth", "--branch-at", 200)
    assert plain.returncode == 0 and branched.returncode == 0, plain.stderr + branched.stderr
    seeds_plain = pd.read_csv(tmp_path / "plain" / "attribution_seeds.csv")
    seeds_branched = pd.read_csv(tmp_path / "branched" / "attribution_seeds.csv")
    baseline = seeds_plain.variant == "baseline"
    # A branch without changes continues the baseline exactly.
    np.testing.assert_array_equal(seeds_plain[baseline].value.to_numpy(),
                                  seeds_branched[seeds_branched.variant == "baseline"].value.to_numpy())
    # Stopped at day 200 instead of never started, word of mouth has had 200 days to work.
    rows = pd.read_csv(tmp_path / "branched" / "attribution.csv")
    late = rows[(rows.kind == "knockout") & (rows.metric == "active_customers") & (rows.horizon == 400)].iloc[0]
    early = pd.read_csv(tmp_path / "plain" / "attribution.csv")
    early = early[(early.kind == "knockout") & (early.metric == "active_customers") & (early.horizon == 400)].iloc[0]
    assert 0 <= late.loop_effect < early.loop_effect
    assert sorted(p.name for p in (tmp_path / "branched" / "prefixes").iterdir()) == [
        "replicate-0.checkpoint.h5", "replicate-0.h5", "replicate-1.checkpoint.h5", "replicate-1.h5"]


@pytest.mark.parametrize("branch", [[], ["--branch-at", 200]], ids=["from-tick-0", "branched"])
def test_mpi_ranks_and_array_tasks_give_the_workstation_results(flywheel, tmp_path, branch):
    args = ["--seeds", 3, "--loops", "word_of_mouth,data", *branch]
    local = attribute(flywheel, tmp_path / "local", *args)
    assert local.returncode == 0, local.stderr
    expected = (tmp_path / "local" / "attribution.csv").read_text()
    # Two tasks of a job array: the first leaves the results to the last.
    first = attribute(flywheel, tmp_path / "tasks", *args, "--task", 0, "--tasks", 2)
    assert first.returncode == 0, first.stderr
    assert not (tmp_path / "tasks" / "attribution.csv").exists()
    second = attribute(flywheel, tmp_path / "tasks", *args, "--task", 1, "--tasks", 2)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "tasks" / "attribution.csv").read_text() == expected
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.skip("no mpirun")
    env = dict(os.environ)  # Open MPI's own allocations at exit are not ours to report
    env["ASAN_OPTIONS"] = (env["ASAN_OPTIONS"] + ":" if env.get("ASAN_OPTIONS") else "") + "detect_leaks=0"
    ranks = attribute(flywheel, tmp_path / "ranks", *args, env=env,
                      launcher=(mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2"))
    assert ranks.returncode == 0, ranks.stdout + ranks.stderr
    assert (tmp_path / "ranks" / "attribution.csv").read_text() == expected


def test_an_unknown_loop_is_refused_with_the_list_of_loops(flywheel, tmp_path):
    done = attribute(flywheel, tmp_path / "out", "--loops", "word_of_mouth,telepathy")
    assert done.returncode == 2
    assert "unknown loop 'telepathy'; the loops are: word_of_mouth, advertising" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_branch_tick_beyond_the_run_is_refused_before_any_run(flywheel, tmp_path):
    done = attribute(flywheel, tmp_path / "out", "--branch-at", 400)
    assert done.returncode == 2
    assert "--branch-at: expected a tick from 1 to 399 (the run has 400 ticks), found 400" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_since_day_at_or_beyond_the_runs_last_is_refused_before_any_run(flywheel, tmp_path):
    done = attribute(flywheel, tmp_path / "out", "--since", 400)
    assert done.returncode == 2
    assert ("--since: expected a day from 0 to 399, before the run's last (the run has 400 ticks), found 400"
            in done.stderr)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("seeds", ["0", "-1", "20000"])
def test_a_seed_count_outside_1_to_10000_is_refused(flywheel, tmp_path, seeds):
    done = attribute(flywheel, tmp_path / "out", "--seeds", seeds)
    assert done.returncode == 2
    assert f"--seeds: Value {seeds} not in range 1 to 10000" in done.stderr
    assert not (tmp_path / "out").exists()
