"""flywheel_tools over many runs (a `run` dimension): dashboard bands, tidy frames, cross-correlations and
their verdicts; axis units; the package's pyproject (pip install -e tools)."""

import importlib.util
import os
import subprocess
import venv
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from matplotlib.collections import PolyCollection
from matplotlib.ticker import EngFormatter

from flywheel_tools import ARROWS, cross_correlations, dashboard, leads, load_run, load_runs, tidy_frame, write_report
from flywheel_tools.dashboard import PANELS
from flywheel_tools.frames import per_platform

TOOLS = Path(__file__).resolve().parents[2] / "tools"
SEEDS = (1, 2, 3)


@pytest.fixture(scope="session")
def run_paths(small_run):
    """Three seeds of the default scenario (three platforms), short."""
    return [small_run("default.yaml", ticks=150, seed=seed) for seed in SEEDS]


@pytest.fixture(scope="session")
def runs(run_paths):
    return load_runs(run_paths)


def bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def test_dashboard_over_runs_draws_a_median_and_a_5_95_band_per_platform(runs):
    fig = dashboard(runs)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    platforms = runs.sizes["platform"]
    assert all(len(ax.get_lines()) == platforms and len(bands(ax)) == platforms for ax in axes)
    assert f"{len(SEEDS)} runs" in fig._suptitle.get_text()
    visits = next(ax for ax in axes if ax.get_title() == "visits per day")
    smoothed = runs["visits"].rolling(tick=7, min_periods=1).mean().isel(platform=0)
    np.testing.assert_allclose(visits.get_lines()[0].get_ydata(), smoothed.median("run").values)


def test_dashboard_of_a_lazy_batch(run_paths):
    fig = dashboard(load_runs(run_paths, lazy=True), panels=[("visits", "visits")])
    assert len(bands(fig.axes[0])) == 3


def test_dashboard_of_one_run_has_lines_only_units_on_every_axis_money_and_percent(run_paths):
    ds = load_run(run_paths[0])
    fig = dashboard(ds)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [title for name, title in PANELS if name in ds]
    assert not any(bands(ax) for ax in axes)
    assert all(ax.get_ylabel() for ax in axes), [ax.get_title() for ax in axes if not ax.get_ylabel()]
    by_title = {ax.get_title(): ax for ax in axes}
    for name in ("cash", "operating_profit"):
        ax = by_title[dict(PANELS)[name]]
        assert ax.get_ylabel() == "money" and isinstance(ax.yaxis.get_major_formatter(), EngFormatter)
    assert by_title["delivery days"].get_ylabel() == "days"
    share = by_title["market share of visits"]
    assert share.get_ylabel() == "%"
    total = sum(line.get_ydata() for line in share.get_lines())  # the platforms' shares add up to 100 %
    np.testing.assert_allclose(total[np.isfinite(total)], 100, rtol=1e-6)


def test_tidy_frame_over_runs_has_a_row_per_run_and_the_runs_labels(runs, run_paths):
    tidy = tidy_frame(runs)
    assert list(tidy.columns) == ["run", "path", "seed", "scenario", "tick", "platform", "variable", "value"]
    assert len(tidy) == runs.sizes["run"] * runs.sizes["tick"] * runs.sizes["platform"] * len(per_platform(runs))
    one = tidy_frame(load_run(run_paths[1]))
    second = tidy[tidy.seed == SEEDS[1]].drop(columns=["run", "path", "seed", "scenario"]).reset_index(drop=True)
    assert second.equals(one)


def test_cross_correlations_over_runs_are_finite_and_combine_each_runs(runs, run_paths):
    frame = cross_correlations(runs)
    assert np.isfinite(frame.correlation).any() and (frame.runs == len(SEEDS)).any()
    each = [cross_correlations(load_run(p)) for p in run_paths]
    mean = np.nanmean([f.correlation.to_numpy() for f in each], axis=0)
    np.testing.assert_allclose(frame.correlation.to_numpy(), mean)
    table = leads(frame)
    assert set(table.verdict) <= {"supported", "not supported", "simultaneous", "unclear"}
    assert {"spread", "runs", "noise"} <= set(table.columns)


def synthetic(shifts, ticks=240, seed=1):
    """Runs of two count series, `visits` repeating `orders` `shift` days later (< 0: earlier) plus noise."""
    rng = np.random.default_rng(seed)
    runs = []
    for shift in shifts:
        cause = np.exp(np.cumsum(rng.normal(0, 0.05, ticks + 20))) * 1000
        effect = np.roll(cause, shift) * np.exp(rng.normal(0, 0.01, ticks + 20))
        runs.append(xr.Dataset({"orders": (("tick", "platform"), np.rint(cause[10:-10, None]).astype(np.int64)),
                                "visits": (("tick", "platform"), np.rint(effect[10:-10, None]).astype(np.int64))},
                               coords={"tick": np.arange(ticks), "platform": ["p"]}))
    return xr.concat(runs, dim="run")


PAIR = ARROWS[0]._replace(cause="orders", effect="visits")


def verdict_of(ds):
    return leads(cross_correlations(ds, [PAIR], period=1, max_lag=6)).iloc[0]


@pytest.mark.parametrize("shift, expected", [(3, "supported"), (-3, "not supported"), (0, "simultaneous")])
def test_the_verdict_says_whether_the_cause_leads(shift, expected):
    one = verdict_of(synthetic([shift]).isel(run=0))
    assert one.lag_days == shift and one.verdict == expected
    many = verdict_of(synthetic([shift] * 3))
    assert many.lag_days == shift and many.runs == 3 and many.verdict == expected


def test_unrelated_or_opposed_series_are_unclear_or_not_supported():
    rng = np.random.default_rng(3)
    ds = synthetic([0])
    unrelated = ds.copy()
    unrelated["visits"] = ds["visits"].copy(data=np.rint(np.exp(rng.normal(0, 0.05, ds["visits"].shape)) * 1000)
                                           .astype(np.int64))
    assert verdict_of(unrelated).verdict == "unclear"
    opposed = ds.copy()
    opposed["visits"] = ds["visits"].copy(data=(10**7 // ds["visits"].values))  # falls as orders rise
    best = verdict_of(opposed)
    assert best.correlation < 0 and best.verdict == "not supported"


def test_a_shorter_run_keeps_its_counts_as_growth_rates():
    """Joined to a longer run, a shorter run's counts turn float with NaN; they are still counts."""
    ds = synthetic([3, 3])
    short = ds.isel(run=1, tick=slice(0, 200))
    joined = xr.concat([ds.isel(run=0), short], dim="run", join="outer")
    assert joined["orders"].dtype.kind == "f"
    alone = cross_correlations(short, [PAIR], period=1, max_lag=6)
    both = cross_correlations(joined, [PAIR], period=1, max_lag=6)
    first = cross_correlations(ds.isel(run=0), [PAIR], period=1, max_lag=6)
    np.testing.assert_allclose(both.correlation, (first.correlation + alone.correlation) / 2, atol=0.02)


def test_the_report_has_a_verdict_column(run_paths, tmp_path):
    page = write_report(run_paths[0], tmp_path, dpi=30).read_text()
    assert ">verdict</th>" in page and ">noise</th>" in page


def test_pip_install_editable_puts_the_package_on_a_venvs_path(tmp_path):
    """`pip install -e tools` in a venv that sees Debian's packages (pip cannot download here)."""
    if importlib.util.find_spec("ensurepip") is None:  # venv needs it to install pip
        pytest.skip("ensurepip is not available")
    venv.create(tmp_path / "venv", system_site_packages=True, with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    install = subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", TOOLS],
                             capture_output=True, text=True, env=env, timeout=300)
    assert install.returncode == 0, install.stderr
    found = subprocess.run([python, "-c", "import flywheel_tools; print(flywheel_tools.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == TOOLS / "flywheel_tools" / "__init__.py"
