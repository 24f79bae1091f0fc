"""flywheel_tools report: PNG plots and index.html; the cross-correlations behind the arrow plots."""

import html
import re
import subprocess
import sys

import matplotlib.image
import numpy as np
import pytest
import xarray as xr

from flywheel_tools import ARROWS, config_changes, cross_correlations, dashboard, leads, load_run, run_config
from flywheel_tools.arrows import arrow_names
from flywheel_tools.dashboard import PANELS, RANKER_PANELS
from flywheel_tools.headlines import HEADLINES
from flywheel_tools.report import changes_html


def tools(*args):
    """Runs `python3 -m flywheel_tools` with this interpreter."""
    return subprocess.run([sys.executable, "-m", "flywheel_tools", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def run_path(small_run):
    return small_run("reinvest-vs-dividend.yaml", ticks=400)


@pytest.fixture(scope="session")
def report(run_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "site"
    result = tools("report", run_path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report: {out / 'index.html'}"
    return out


def test_the_report_has_a_dashboard_the_ranker_welfare_and_a_plot_per_arrow(report):
    names = sorted(p.name for p in report.glob("*.png"))
    assert {"dashboard.png", "ranker.png", "welfare.png"} <= set(names)
    assert len(names) == 3 + len(arrow_names())


def test_welfare_is_its_parts_and_shoppers_gain(run_path):
    ds = load_run(run_path)
    parts = ds["consumer_surplus"] + ds["profit_3p"] + ds["operating_profit"]
    np.testing.assert_allclose(ds["welfare"].values, parts.values, rtol=1e-12, atol=1e-9)
    assert float(ds["consumer_surplus"].sum()) > 0
    assert float(ds["profit_1p"].sum()) != 0


def test_every_png_opens_and_is_not_blank(report):
    for png in report.glob("*.png"):
        image = matplotlib.image.imread(png)
        assert image.shape[0] > 200 and image.shape[1] > 200, png.name
        colours = np.unique(image.reshape(-1, image.shape[-1]), axis=0)
        assert len(colours) > 10, f"{png.name} has {len(colours)} colours"


def test_index_shows_every_png_the_config_and_headlines(report, run_path):
    page = (report / "index.html").read_text()
    images = re.findall(r'<img src="([^"]+)"', page)
    assert sorted(images) == sorted(p.name for p in report.glob("*.png"))
    ds = load_run(run_path)
    config = ds.attrs["config"]
    assert f"<pre>{html.escape(config)}</pre>" in page
    assert "reinvest-vs-dividend" in page and "dividend" in page
    assert "Headline figures" in page
    for _, label in HEADLINES:
        assert f">{label}</th>" in page, label
    for pair in ARROWS:
        assert html.escape(pair.cause) in page and html.escape(pair.effect) in page
    assert "Value of data" in page
    for column in ("cumulative_orders", "ranker_error", "taste_error", "list_regret", "ranker_error_gain"):
        assert f">{column}</th>" in page, column


CHANGES = """\
ticks: {value: 365, default: 1825}
platforms[1].policy.take_rate: {value: 0.1, default: ~}
platforms[0].credit_line: {value: 1e+05, default: 1e+07}
loops.data: {value: false, default: true}
platforms[0].name: {value: "<alpha>", default: platform}
"""


def test_config_changes_are_a_table_of_key_value_and_default():
    changes = config_changes({"config_changes": CHANGES})
    assert list(changes.columns) == ["key", "value", "default"]
    assert changes.values.tolist() == [["ticks", 365, 1825], ["platforms[1].policy.take_rate", 0.1, None],
                                       ["platforms[0].credit_line", 1e5, 1e7], ["loops.data", False, True],
                                       ["platforms[0].name", "<alpha>", "platform"]]
    assert config_changes(xr.Dataset(attrs={"config_changes": "{}"})).empty
    assert config_changes({"config": "ticks: 10"}) is None  # written before flywheel recorded its changes


def test_the_report_shows_the_changes_before_the_config():
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", changes_html({"config_changes": CHANGES}))
    assert rows == [("ticks", "365", "1825"), ("platforms[1].policy.take_rate", "0.1", "(none)"),
                    ("platforms[0].credit_line", "100000", "10000000"), ("loops.data", "false", "true"),
                    ("platforms[0].name", "&lt;alpha&gt;", "platform")]
    assert "every parameter has its default" in changes_html({"config_changes": "{}"})
    assert "no <code>config_changes</code> attribute" in changes_html({})


def test_a_run_records_what_it_changed_from_the_defaults(run_path, report):
    ds = load_run(run_path)
    page = (report / "index.html").read_text()
    assert page.index("<h2>Changed from the defaults</h2>") < page.index("<h2>Config</h2>")
    assert changes_html(ds.attrs) in page
    changes = config_changes(ds)
    if changes is None:
        pytest.skip("this flywheel binary writes no config_changes attribute yet (FLYWHEEL_BINARY predates it)")
    changes = changes.set_index("key")
    assert changes.loc["ticks", "value"] == 400 and changes.loc["customers.count", "value"] == 10000  # --ticks, --set
    assert changes.loc["platforms[1].name", "value"] == "dividend"  # the scenario's own
    assert all(repr(row.value) != repr(row.default) for row in changes.itertuples()), "an unchanged parameter"
    config = run_config(ds)
    for key, value in changes.value.items():
        assert at(config, key) == value, key


def at(tree, key):
    """The item of nested dicts and lists at a key such as `platforms[1].policy.take_rate`."""
    for part in re.findall(r"[^.\[\]]+", key):
        tree = tree[int(part)] if isinstance(tree, list) else tree[part]
    return tree


def test_help_and_a_missing_file(tmp_path):
    result = tools("--help")
    assert result.returncode == 0 and "report" in result.stdout
    result = tools("report", tmp_path / "missing.h5", "-o", tmp_path / "out")
    assert result.returncode == 1 and result.stderr.startswith("flywheel_tools: error:")
    assert result.stderr.count("\n") == 1, result.stderr


def test_dashboard_has_a_panel_per_series_and_a_line_per_platform(run_path):
    ds = load_run(run_path)
    fig = dashboard(ds)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [title for _, title in PANELS]
    assert all(len(ax.get_lines()) == 2 for ax in axes)
    ranker = dashboard(ds, panels=RANKER_PANELS, title="the ranker")
    assert [ax.get_title() for ax in ranker.axes] == [title for _, title in RANKER_PANELS]
    assert ranker._suptitle.get_text().startswith("the ranker: ")


def synthetic(cause, effect, name_cause="orders", name_effect="visits"):
    """A one-platform Dataset holding two series."""
    ticks = np.arange(len(cause))
    return xr.Dataset({name_cause: (("tick", "platform"), cause[:, None]),
                       name_effect: (("tick", "platform"), effect[:, None])},
                      coords={"tick": ticks, "platform": ["p"]})


@pytest.mark.parametrize("shift", [3, -2])
def test_a_cause_that_leads_peaks_at_a_positive_lag(shift):
    rng = np.random.default_rng(1)
    steps = rng.normal(0, 0.05, 120)
    cause = np.exp(np.cumsum(steps)) * 100  # a random walk in growth rates, one value per period
    effect = np.roll(cause, shift)          # the effect repeats the cause `shift` periods later
    ds = synthetic(np.rint(cause).astype(np.int64), np.rint(effect * 10).astype(np.int64))
    pair = ARROWS[0]._replace(cause="orders", effect="visits")
    frame = cross_correlations(ds, [pair], period=1, max_lag=6)
    best = leads(frame).iloc[0]
    assert best.lag_days == shift and best.correlation > 0.9


def test_a_negated_effect_turns_the_correlation_round():
    rng = np.random.default_rng(2)
    cause = np.exp(np.cumsum(rng.normal(0, 0.05, 100))) * 100
    ds = synthetic(np.rint(cause).astype(np.int64), 1 / cause, name_effect="price_index")
    pair = ARROWS[0]._replace(cause="orders", effect="-price_index")
    best = leads(cross_correlations(ds, [pair], period=1, max_lag=3)).iloc[0]
    assert best.lag_days == 0 and best.correlation > 0.9
