"""flywheel_tools on an attribution (`flywheel attribute`): its tables, the tornado, the time paths, the report."""

import html
import re
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.image  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402

from flywheel_tools import (attribution_paths, attribution_report, load_attribution, paths_figure,  # noqa: E402
                            tornado_figure)
from flywheel_tools.attribution import HEADLINE_METRICS, METRICS  # noqa: E402

CONFIG = Path(__file__).resolve().parents[2] / "configs" / "flywheel.yaml"
LOOPS = ["word_of_mouth", "membership"]
SEEDS = 2
TICKS = 400


def attribute(flywheel, output, *args):
    done = subprocess.run([flywheel, "attribute", str(CONFIG), "--seeds", str(SEEDS), "--ticks", str(TICKS),
                           "--set", "customers.count=3000", *map(str, args), "-o", str(output)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return output


def tools(*args):
    """Runs `python3 -m flywheel_tools` with this interpreter."""
    return subprocess.run([sys.executable, "-m", "flywheel_tools", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def attribution(flywheel, tmp_path_factory):
    """Two loops and their pair over two seeds."""
    return attribute(flywheel, tmp_path_factory.mktemp("attribution") / "out", "--loops", ",".join(LOOPS), "--pairs")


@pytest.fixture(scope="module")
def branched(flywheel, tmp_path_factory):
    """One loop, its knockouts branched from the baseline at day 200."""
    return attribute(flywheel, tmp_path_factory.mktemp("branched") / "out", "--loops", "word_of_mouth",
                     "--branch-at", 200)


def effect(rows, loops, metric, horizon=TICKS, kind="knockout"):
    at = rows[(rows.loops == loops) & (rows.kind == kind) & (rows.metric == metric) & (rows.horizon == horizon)]
    return at.iloc[0]


def test_load_attribution_reads_both_tables_and_the_design(attribution):
    result = load_attribution(attribution)
    pd.testing.assert_frame_equal(result.effects, pd.read_csv(attribution / "attribution.csv"))
    assert result.loops == LOOPS
    assert set(result.effects.kind) == {"knockout", "interaction"}
    assert sorted(result.effects.horizon.unique()) == [365, TICKS]
    # 4 variants (baseline, each loop, the pair) x 2 seeds x 14 metrics x 2 horizons
    assert len(result.seeds) == 4 * SEEDS * len(METRICS) * 2
    assert set(result.seeds.variant) == {"baseline", *LOOPS, "+".join(LOOPS)}
    assert result.attrs["seeds"] == SEEDS and result.attrs["loops"] == "+".join(LOOPS)
    assert load_attribution(attribution / "attribution.csv").path == attribution


@pytest.mark.parametrize("metric", ["active_customers", "gmv", "price_index"])
def test_the_tornado_has_a_bar_per_loop_sorted_by_size_with_its_interval(attribution, metric):
    result = load_attribution(attribution)
    ax = tornado_figure(result, metric).axes[0]
    bars = next(c for c in ax.containers if isinstance(c, BarContainer))
    errors = next(c for c in ax.containers if isinstance(c, ErrorbarContainer))
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(names) == sorted(LOOPS)  # single knockouts only: no pair, no interaction
    rows = [effect(result.effects, loop, metric) for loop in names]
    widths = [bar.get_width() for bar in bars]
    np.testing.assert_allclose(widths, [r.loop_effect for r in rows])
    assert list(np.abs(widths)) == sorted(np.abs(widths))  # the largest at the top
    centres = [bar.get_y() + bar.get_height() / 2 for bar in bars]
    np.testing.assert_allclose(centres, ax.get_yticks())
    segments = errors.lines[2][0].get_segments()
    assert len(segments) == len(LOOPS)
    for segment, row, y in zip(segments, rows, centres):
        np.testing.assert_allclose(segment, [[row.loop_effect_low, y], [row.loop_effect_high, y]])
    zero = [line for line in ax.get_lines() if list(line.get_xdata()) == [0, 0]]
    assert len(zero) == 1
    assert f"by day {TICKS}" in ax.get_title()


def test_the_tornado_at_an_earlier_horizon_and_with_the_pair(attribution):
    result = load_attribution(attribution)
    ax = tornado_figure(result.effects, "orders", horizon=365, combinations=True).axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(names) == sorted([*LOOPS, "+".join(LOOPS)])
    bars = next(c for c in ax.containers if isinstance(c, BarContainer))
    np.testing.assert_allclose([b.get_width() for b in bars],
                               [effect(result.effects, n, "orders", 365).loop_effect for n in names])
    assert "by day 365" in ax.get_title()
    with pytest.raises(ValueError, match="horizons are 365, 400"):
        tornado_figure(result, "orders", horizon=100)


def labelled(ax):
    return {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}


def test_the_paths_are_the_baseline_and_each_loop_off_means_over_replicates(attribution):
    result = load_attribution(attribution)
    top, bottom = paths_figure(attribution, "active_customers", smooth=1).axes
    lines = labelled(top)
    assert list(lines) == ["baseline"] + [f"{loop} off" for loop in LOOPS]
    for line in lines.values():
        assert list(line.get_xdata()) == list(range(TICKS))
    # The attribution's active_customers is the market's on the horizon's last day.
    assert lines["baseline"].get_ydata()[-1] == pytest.approx(effect(result.effects, "word_of_mouth",
                                                                     "active_customers").baseline)
    added = labelled(bottom)
    assert list(added) == LOOPS
    for loop in LOOPS:
        row = effect(result.effects, loop, "active_customers")
        assert lines[f"{loop} off"].get_ydata()[-1] == pytest.approx(row.knockout)
        assert added[loop].get_ydata()[-1] == pytest.approx(row.loop_effect)


def test_paths_of_a_per_platform_series_match_the_seeds_table(attribution):
    seeds = load_attribution(attribution).seeds
    paths = attribution_paths(attribution, ["orders"])
    assert list(paths.variant.values) == ["baseline", *LOOPS, "+".join(LOOPS)]
    assert paths.sizes == {"variant": 4, "replicate": SEEDS, "tick": TICKS}
    # orders over the year to day 400, per run, as the seeds table has it
    year = paths.orders.sel(tick=slice(TICKS - 365, TICKS - 1)).sum("tick")
    for variant in paths.variant.values:
        expected = seeds[(seeds.variant == variant) & (seeds.metric == "orders") & (seeds.horizon == TICKS)]
        np.testing.assert_allclose(year.sel(variant=variant).values, expected.sort_values("replicate").value)


def test_branched_paths_join_the_shared_prefix(branched):
    paths = attribution_paths(branched, ["active_customers"])
    values = paths.active_customers
    assert list(values.tick.values) == list(range(TICKS)) and not np.isnan(values.values).any()
    before = values.sel(tick=slice(0, 199))
    np.testing.assert_array_equal(before.sel(variant="baseline"), before.sel(variant="word_of_mouth"))
    top, _ = paths_figure(branched, smooth=1).axes
    assert list(labelled(top)) == ["baseline", "word_of_mouth off"]
    assert labelled(top)["baseline"].get_xdata()[0] == 0
    shaded = [p for p in top.patches if p.get_label() == "shared past (before the branch)"]
    assert len(shaded) == 1
    x = shaded[0].get_xy()[:, 0]
    assert (x.min(), x.max()) == (0, 200)


def test_the_report_shows_a_tornado_per_headline_metric_the_paths_and_every_loop(attribution, tmp_path):
    index = attribution_report(attribution, tmp_path / "site")
    assert index == tmp_path / "site" / "index.html"
    page = index.read_text()
    images = re.findall(r'<img src="([^"]+)"', page)
    assert sorted(images) == sorted(p.name for p in index.parent.glob("*.png"))
    assert [i for i in images if i.startswith("tornado-")] == [f"tornado-{m.replace('_', '-')}.png"
                                                               for m in HEADLINE_METRICS]
    assert "paths-active-customers.png" in images
    for loop in [*LOOPS, "+".join(LOOPS)]:
        assert html.escape(loop) in page, loop
    for metric in METRICS:
        assert f"<th>{metric}</th>" in page, metric
    assert f"Effects by day {TICKS}" in page
    assert "flows over the year to each horizon" in page
    for png in index.parent.glob("*.png"):
        image = matplotlib.image.imread(png)
        assert image.shape[0] > 150 and image.shape[1] > 300, png.name
        assert len(np.unique(image.reshape(-1, image.shape[-1]), axis=0)) > 10, png.name


def test_the_report_command_takes_an_attribution_directory(attribution):
    result = tools("report", attribution)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report: {attribution / 'report' / 'index.html'}"
    page = (attribution / "report" / "index.html").read_text()
    assert all(loop in page for loop in LOOPS)


def test_the_report_without_run_files_still_has_the_tornadoes(attribution, tmp_path):
    copy = tmp_path / "tables"
    copy.mkdir()
    for name in ("attribution.csv", "attribution_seeds.csv"):
        (copy / name).write_bytes((attribution / name).read_bytes())
    result = tools("report", copy, "-o", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text()
    assert "No time paths" in page and "tornado-gmv.png" in page


def test_a_broken_attribution_and_a_run_without_output_are_refused(tmp_path):
    (tmp_path / "attribution.csv").write_text("a,b\n1,2\n")
    result = tools("report", tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("flywheel_tools: error:")
    assert "no column loops" in result.stderr and result.stderr.count("\n") == 1, result.stderr
    result = tools("report", tmp_path / "run.h5")
    assert result.returncode == 2 and "-o/--output" in result.stderr
