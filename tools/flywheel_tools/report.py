"""A run's report: PNG plots and an index.html that shows them with the config and headlines."""

import html
import re
from pathlib import Path

from .arrow_plots import arrow_figures
from .arrows import cross_correlations, leads
from .config import config_changes
from .dashboard import RANKER_PANELS, WELFARE_PANELS, dashboard
from .headlines import headlines
from .load import load_run
from .value_of_data import SERIES, gain_per_order, value_of_data


def slug(text):
    """A file-name-safe form of `text`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def write_report(path, out_dir, dpi=80):
    """Writes dashboard.png, ranker.png and welfare.png (when the run has their series), arrow-*.png and
    index.html to `out_dir`; returns the index path."""
    ds = load_run(path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    images = [("flywheel dashboard", "dashboard.png", dashboard(ds))]
    for heading, name, panels, title in (("the ranker: what it gets wrong", "ranker.png", RANKER_PANELS, "the ranker"),
                                         ("welfare: shoppers, sellers, platform", "welfare.png", WELFARE_PANELS,
                                          "welfare")):
        if all(series in ds for series, _ in panels):
            images.append((heading, name, dashboard(ds, panels=panels, title=title)))
    ranker = None
    if all(name in ds for name, _ in RANKER_PANELS):
        ranker = gain_per_order(value_of_data(ds, bins=6)).drop(columns=["bin", "replicates"])
    correlations = cross_correlations(ds)
    for arrow, fig in arrow_figures(correlations):
        images.append((f"arrow {arrow}", f"arrow-{slug(arrow)}.png", fig))
    for _, name, fig in images:
        fig.savefig(out / name, dpi=dpi)
    index = out / "index.html"
    index.write_text(page(ds, images, headlines(ds), leads(correlations), ranker), encoding="utf-8")
    return index


def number(x):
    """A figure as people read it: thousands separated, four significant digits below 1000."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def page(ds, images, figures, lead_table, value_table=None):
    """The HTML of the report; `value_table`, the value of data (`value_of_data` with its gains), after the
    plots."""
    a = ds.attrs
    title = html.escape(f"flywheel run: {a.get('scenario', '?')}, seed {a.get('seed', '?')}")
    facts = (f"{ds.sizes['tick']} ticks, status {a.get('status', '?')}, "
             f"{ds.sizes['platform']} platform(s); flywheel {a.get('program_version', '?')} "
             f"({a.get('git_revision', '?')}), started {a.get('start_time', '?')}; file {a.get('path', '?')}")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{title}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}img{max-width:100%}"
        "pre{background:#f4f4f4;padding:1em;overflow:auto}</style></head><body>",
        f"<h1>{title}</h1>", f"<p>{html.escape(facts)}</p>",
        "<h2>Headline figures</h2>", figures.to_html(float_format=number),
        "<h2>Does the cause lead? Strongest lagged correlation per arrow</h2>",
        "<p>Positive lag: the cause's changes come before the effect's. "
        "A correlation within <i>noise</i> (2/sqrt(points)) of zero is indistinguishable from noise. "
        "<i>verdict</i>: <i>supported</i> when the peak is positive and the cause leads; <i>not supported</i> "
        "when the effect leads or the two move against the arrow; <i>simultaneous</i> when both change in the "
        "same period; <i>unclear</i> when the peak is within noise.</p>",
        lead_table.to_html(index=False, float_format=lambda x: f"{x:.2f}"),
    ]
    for caption, name, _ in images:
        parts += [f"<h2>{html.escape(caption)}</h2>", f'<img src="{html.escape(name)}" alt="{html.escape(caption)}">']
    if value_table is not None:
        parts += [
            "<h2>Value of data: the ranker's errors by the platform's cumulative orders</h2>",
            "<p>Days binned by the orders the platform had before them (log-spaced bins); means over each bin's "
            f"days of {html.escape(', '.join(SERIES))}; a <i>_gain</i> is the error's fall per extra order since "
            "the platform's previous bin. <code>python3 -m flywheel_tools value-of-data</code> pools seeds.</p>",
            value_table.to_html(index=False, float_format=number, na_rep=""),
        ]
    parts += ["<h2>Changed from the defaults</h2>", changes_html(a),
              "<h2>Config</h2>", f"<pre>{html.escape(a.get('config', ''))}</pre>", "</body></html>"]
    return "\n".join(parts) + "\n"


def changes_html(attrs):
    """The parameters the run changed from their defaults, as a table; a line saying why when there is none."""
    changes = config_changes(attrs)
    if changes is None:
        return ("<p>This file does not say which parameters differ from their defaults (flywheel wrote no "
                "<code>config_changes</code> attribute before): see the full config below.</p>")
    if changes.empty:
        return "<p>None: every parameter has its default value.</p>"
    shown = changes.assign(value=changes.value.map(yaml_text), default=changes.default.map(yaml_text))
    return shown.to_html(index=False)


def yaml_text(value):
    """A parameter's value spelt as in the config: `true`, `1e+07`; `(none)` for no value."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:.10g}" if isinstance(value, float) else str(value)
