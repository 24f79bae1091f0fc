"""An attribution (`flywheel attribute`): what each loop of the flywheel adds, as a tornado, time paths, a page.

The directory holds `attribution.csv` (one row per loop or variant, metric and
horizon: baseline less knockout, mean over seeds, 95% interval),
`attribution_seeds.csv` (every run's value), `attribution.h5` (the table, and
the design as root attributes), `index.csv` (the runs, with a `loops.<name>`
column per loop: true or false) and `runs/`; with `--branch-at`, `prefixes/`
holds each replicate's ticks before the branch.
"""

import html
from pathlib import Path
from typing import NamedTuple

import h5py
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .dashboard import smoothing
from .load import read_series
from .report import number, slug
from .sweep import parameters, read_index, run_status

# (metric, label): the figures `flywheel attribute` compares (app/src/attribution_metrics.cpp).
METRICS = {
    "active_customers": "shopping customers, not lapsed (last day)",
    "half_adoption_day": "day half the customers were active (NaN: not by the horizon)",
    "orders": "orders (year to the horizon)",
    "gmv": "GMV (year to the horizon)",
    "third_party_unit_share": "3P share of units (year)",
    "third_party_value_share": "3P share of GMV (year)",
    "price_index": "price index (mean over the year)",
    "price_fall": "price index's fall since the first year (year)",
    "conversion": "conversion, orders per visit (year)",
    "operating_profit": "operating profit (year to the horizon)",
    "cash": "cash (last day)",
    "sellers_3p": "distinct 3P sellers (last day)",
    "offers": "offers (last day)",
    "consumer_surplus": "consumer surplus (year)",
    "welfare": "total welfare (year)",
}
# The metrics of the report's tornadoes.
HEADLINE_METRICS = ("active_customers", "orders", "gmv", "third_party_unit_share", "price_index", "operating_profit")
# Per-platform series that are ratios or levers: their sum over platforms means nothing.
NOT_ADDITIVE = frozenset({
    "market_share", "conversion", "third_party_unit_share", "third_party_value_share", "average_price_paid",
    "price_index", "take_rate", "fulfilment_fee", "first_party_markup", "membership_fee", "shipping_fee",
    "payout_share", "delivery_days", "fulfilment_unit_cost", "ranker_error",
})
LOOP_COLUMN = "loops."
BASELINE = "baseline"


class Attribution(NamedTuple):
    """An attribution's results, as `load_attribution` reads them."""

    effects: pd.DataFrame  # attribution.csv
    seeds: pd.DataFrame  # attribution_seeds.csv (no rows when the file is missing)
    loops: list  # the loops, in the order they were given
    attrs: dict  # attribution.h5's root attributes (config, loops, seeds, branch_at, since); {} without the file
    path: Path  # the directory


def attribution_dir(path):
    """The attribution's directory: `path`, or the directory of `path` when it names attribution.csv."""
    path = Path(path)
    return path.parent if path.name == "attribution.csv" else path


def is_attribution(path):
    """Whether `path` is an attribution's directory (one holding attribution.csv) or its attribution.csv."""
    path = Path(path)
    return path.is_file() and path.name == "attribution.csv" or (path / "attribution.csv").is_file()


def load_attribution(path):
    """An attribution's results (`Attribution`): `path` is its directory or its attribution.csv.

    `effects` is attribution.csv: columns loops, kind (knockout, interaction,
    shapley), metric, horizon (days), baseline, knockout, loop_effect (baseline
    less knockout, mean over seeds), loop_effect_low/high (its 95% interval),
    knockout_ratio, relative_effect (baseline / knockout - 1, geometric mean over
    seeds) and relative_effect_low/high (its 95% interval), seeds. `seeds` is attribution_seeds.csv: run, variant
    ("baseline" or the loops off, joined by "+"), replicate, seed, metric,
    horizon, value. `loops` lists the loops one by one, in their order.
    """
    folder = attribution_dir(path)
    effects = pd.read_csv(folder / "attribution.csv", dtype={"loops": str, "kind": str, "metric": str})
    missing = [c for c in ("loops", "kind", "metric", "horizon", "loop_effect", "loop_effect_low",
                           "loop_effect_high") if c not in effects.columns]
    if missing:
        raise ValueError(f"{folder / 'attribution.csv'} is not an attribution: no column {', '.join(missing)}")
    seeds_path = folder / "attribution_seeds.csv"
    seeds = (pd.read_csv(seeds_path, dtype={"run": str, "variant": str, "metric": str}) if seeds_path.exists()
             else pd.DataFrame(columns=["run", "variant", "replicate", "seed", "metric", "horizon", "value"]))
    singles = effects[effects.kind.isin(["knockout", "shapley"]) & ~effects.loops.str.contains("+", regex=False)]
    return Attribution(effects, seeds, list(dict.fromkeys(singles.loops)), table_attrs(folder), folder)


def table_attrs(folder):
    """attribution.h5's root attributes as Python values; {} without the file."""
    path = Path(folder) / "attribution.h5"
    if not path.exists():
        return {}
    with h5py.File(path, "r") as table:
        return {k: _plain(v) for k, v in table.attrs.items()}


def _plain(value):
    if isinstance(value, bytes):
        return value.decode().rstrip("\0")
    return value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value


def _effects(frame):
    """The effects DataFrame of an `Attribution` or of the DataFrame itself."""
    return frame.effects if isinstance(frame, Attribution) else frame


def tornado_rows(frame, metric, horizon=None, kind="knockout", combinations=False):
    """The rows a tornado shows, smallest effect first; `horizon` None: the last."""
    effects = _effects(frame)
    rows = effects[(effects.kind == kind) & (effects.metric == metric)]
    if not combinations:
        rows = rows[~rows.loops.str.contains("+", regex=False)]
    if rows.empty:
        raise ValueError(f"no {kind} rows of metric {metric!r}")
    horizon = rows.horizon.max() if horizon is None else horizon
    at = rows[rows.horizon == horizon]
    if at.empty:
        raise ValueError(f"no {kind} rows of {metric!r} at horizon {horizon}; the horizons are "
                         f"{', '.join(map(str, sorted(rows.horizon.unique())))}")
    order = at.loop_effect.abs().sort_values(na_position="first", kind="stable").index
    return at.loc[order]


def tornado_figure(frame, metric, horizon=None, kind="knockout", combinations=False):
    """A horizontal bar per loop: what it adds to `metric` by day `horizon` (default the last), with its 95% interval.

    `frame` is `load_attribution`'s result or its `effects`. Bars are sorted by
    size, the largest at the top; blue where the loop adds, red where it takes
    away, pale where the interval holds zero. `kind` "shapley" shows Shapley
    values instead of knockouts; `combinations` adds the knockouts of several
    loops at once (pairs).
    """
    rows = tornado_rows(frame, metric, horizon, kind, combinations)
    horizon = int(rows.horizon.iloc[0])
    effect = rows.loop_effect.to_numpy(float)
    low, high = rows.loop_effect_low.to_numpy(float), rows.loop_effect_high.to_numpy(float)
    y = np.arange(len(rows))
    noise = ~((low > 0) | (high < 0))
    colours = ["tab:blue" if e >= 0 else "tab:red" for e in np.nan_to_num(effect)]
    fig = Figure(figsize=(7.5, 1.8 + 0.45 * len(rows)), layout="constrained")
    ax = fig.subplots()
    bars = ax.barh(y, np.nan_to_num(effect), color=colours, label="loop effect")
    for bar, pale in zip(bars, noise):
        bar.set_alpha(0.4 if pale else 0.9)
    known = np.isfinite(low) & np.isfinite(high) & np.isfinite(effect)
    if known.any():
        ax.errorbar(effect[known], y[known], fmt="none", ecolor="black", capsize=3, elinewidth=1,
                    xerr=[np.clip(effect[known] - low[known], 0, None), np.clip(high[known] - effect[known], 0, None)],
                    label="95% interval")
    ax.axvline(0, color="black", linewidth=0.8)
    for yy, e, ratio, end in zip(y, effect, rows.knockout_ratio.to_numpy(float), np.where(known, high, effect)):
        if not np.isfinite(e):
            continue
        text = number(e) + (f"  (off: {ratio - 1:+.0%})" if kind == "knockout" and np.isfinite(ratio) else "")
        ax.annotate(text, (max(np.nan_to_num(end), 0), yy), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_yticks(y, rows.loops.tolist())
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.margins(x=0.3)
    ax.grid(axis="x", alpha=0.3)
    seeds = int(rows.seeds.max()) if "seeds" in rows else 0
    ax.set_xlabel(f"{'Shapley value' if kind == 'shapley' else 'baseline less knockout'}, "
                  f"mean over {seeds} seeds, 95% interval")
    what = "each loop's Shapley value" if kind == "shapley" else "what each loop adds"
    ax.set_title(f"{METRICS.get(metric, metric)}: {what} by day {horizon}", fontsize=10)
    ax.legend(handles=[Patch(color="tab:blue", alpha=0.9, label="adds"),
                       Patch(color="tab:red", alpha=0.9, label="takes away"),
                       Patch(color="grey", alpha=0.4, label="interval holds 0")],
              fontsize=7, ncols=3, loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=4.5, frameon=False)
    return fig


def variant_name(row, loops):
    """"baseline" for an index row with every loop on, else the loops off joined by "+"."""
    off = [loop for loop in loops if str(row[LOOP_COLUMN + loop]).strip().lower() in ("false", "0")]
    return "+".join(off) if off else BASELINE


def series_of(ds, name, platform=None):
    """Series `name` of a run along `tick`: market-wide (`market_<name>`) where the file has it, else summed
    over platforms (refused for ratios with several platforms), or `platform`'s."""
    if platform is not None:
        return ds[name].sel(platform=platform, drop=True)
    if f"market_{name}" in ds:
        return ds[f"market_{name}"]
    if name not in ds:
        raise KeyError(f"no series {name!r} in {ds.attrs.get('path', 'the run')}")
    values = ds[name]
    if "platform" not in values.dims:
        return values
    if values.sizes["platform"] == 1:
        return values.isel(platform=0, drop=True)
    if name in NOT_ADDITIVE:
        raise ValueError(f"{name} is a ratio per platform: name the platform (one of {', '.join(ds.platform.values)})")
    return values.sum("platform")


def attribution_paths(path, series=("active_customers",), variants=None, platform=None, complete_only=True):
    """Time paths of every run: a Dataset with a variable per series, dimensions (variant, replicate, tick).

    `variant` is "baseline" or the loops off joined by "+" (as in
    attribution_seeds.csv), in the index's order; `variants` keeps only those.
    Each series is `series_of` each run (market-wide where the file has it).
    A branched run's file holds the ticks from the branch on; its replicate's
    prefix file (prefixes/replicate-R.h5) gives those before. Runs that are
    not complete are left out unless `complete_only` is false (NaN where
    nothing was read). Raises FileNotFoundError when no run can be read.
    """
    folder = attribution_dir(path)
    index = read_index(folder)
    loops = [c[len(LOOP_COLUMN):] for c in parameters(index) if c.startswith(LOOP_COLUMN)]
    index["variant"] = [variant_name(row, loops) for _, row in index.iterrows()]
    if variants is not None:
        index = index[index.variant.isin(list(variants))]
    prefixes = {}
    read = {}
    for _, row in index.iterrows():
        status = run_status(folder / row.file)
        if status == "missing" or (complete_only and status != "complete"):
            continue
        ds = read_series(folder / row.file, series)
        values = {name: series_of(ds, name, platform) for name in series}
        first = int(ds.tick.values[0]) if ds.sizes["tick"] else 0
        if first > 0:
            if row.replicate not in prefixes:
                prefix = folder / "prefixes" / f"replicate-{row.replicate}.h5"
                prefixes[row.replicate] = read_series(prefix, series) if prefix.exists() else None
            before = prefixes[row.replicate]
            if before is not None:
                values = {name: xr.concat([series_of(before, name, platform).sel(tick=slice(None, first - 1)), v],
                                          "tick") for name, v in values.items()}
        read[(row.variant, row.replicate)] = values
    if not read:
        raise FileNotFoundError(f"no {'complete ' if complete_only else ''}run files in {folder}")
    names = list(dict.fromkeys(v for v, _ in read))
    replicates = sorted({r for _, r in read})
    ticks = np.unique(np.concatenate([v.tick.values for run in read.values() for v in run.values()]))
    data = {}
    for name in series:
        cube = np.full((len(names), len(replicates), len(ticks)), np.nan)
        for (variant, replicate), run in read.items():
            values = run[name]
            cube[names.index(variant), replicates.index(replicate),
                 np.searchsorted(ticks, values.tick.values)] = values.values.astype(float)
        data[name] = (("variant", "replicate", "tick"), cube)
    attrs = table_attrs(folder)
    return xr.Dataset(data, coords={"variant": names, "replicate": replicates, "tick": ticks},
                      attrs={"path": str(folder), "branch_at": int(attrs.get("branch_at", 0)), "loops": loops})


def paths_figure(path, metric_series="active_customers", smooth=None, platform=None, paths=None):
    """Time paths of `metric_series` for the baseline and each single knockout, means over replicates.

    Top: the baseline and each loop off; bottom: what each loop adds (baseline
    less knockout, paired by replicate). `path` is the attribution's directory
    (or pass `paths`, from `attribution_paths`). Rolling means over `smooth`
    days (default as the dashboard's). A branched attribution shades the shared
    past.
    """
    if paths is None:
        paths = attribution_paths(path, [metric_series], platform=platform)
    values = paths[metric_series]
    loops = [v for v in values.variant.values if v != BASELINE and "+" not in v]
    if BASELINE not in values.variant.values:
        raise ValueError(f"no baseline run in {paths.attrs.get('path', path)}")
    smooth = smooth or smoothing(values.sizes["tick"])
    if smooth > 1:
        values = values.rolling(tick=smooth, min_periods=1).mean()
    ticks = values.tick.values
    baseline = values.sel(variant=BASELINE)
    fig = Figure(figsize=(9, 7), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    top.plot(ticks, baseline.mean("replicate").values, color="black", linewidth=2, label=BASELINE)
    for i, loop in enumerate(loops):
        colour = f"C{i % 10}"
        knockout = values.sel(variant=loop)
        top.plot(ticks, knockout.mean("replicate").values, color=colour, linewidth=1.2, label=f"{loop} off")
        bottom.plot(ticks, (baseline - knockout).mean("replicate").values, color=colour, linewidth=1.2, label=loop)
    bottom.axhline(0, color="black", linewidth=0.8)
    branch = int(paths.attrs.get("branch_at", 0))
    for ax in (top, bottom):
        if branch > 0:
            ax.axvspan(ticks[0], branch, color="grey", alpha=0.12, label="shared past (before the branch)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    replicates = int(np.isfinite(baseline).any("tick").sum())
    top.set_title(f"{metric_series}: baseline and each loop off (mean over {replicates} replicates"
                  f"{f', {smooth}-day rolling means' if smooth > 1 else ''})", fontsize=10)
    top.set_ylabel(metric_series)
    bottom.set_title("what each loop adds: baseline less knockout, paired by replicate", fontsize=10)
    bottom.set_ylabel(f"{metric_series} added")
    bottom.set_xlabel("day")
    return fig


def effects_table(frame, horizon=None):
    """The effects at `horizon` (default the last) as text: a row per (kind, loops), a column per metric,
    "effect [low, high]"; first, the baseline's values."""
    effects = _effects(frame)
    horizon = effects.horizon.max() if horizon is None else horizon
    at = effects[effects.horizon == horizon]
    metrics = [m for m in METRICS if m in set(at.metric)] + [m for m in dict.fromkeys(at.metric) if m not in METRICS]
    rows = {(BASELINE, "every loop on"): {m: _figure(at[at.metric == m].baseline.iloc[0]) for m in metrics}}
    for (kind, loops), group in at.groupby(["kind", "loops"], sort=False):
        cells = {}
        for _, r in group.iterrows():
            interval = (f" [{_figure(r.loop_effect_low)}, {_figure(r.loop_effect_high)}]"
                        if np.isfinite(r.loop_effect_low) else "")
            cells[r.metric] = _figure(r.loop_effect) + interval
        rows[(kind, loops)] = cells
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=metrics).fillna("")
    table.index = table.index.set_names(["kind", "loops"])
    return table


def _figure(x):
    return number(x) if np.isfinite(x) else "n/a"


def attribution_report(path, out_dir=None, dpi=80, series=("active_customers", "gmv")):
    """Writes tornado-*.png, paths-*.png and index.html to `out_dir` (default the attribution's report/);
    returns the index path.

    A tornado per headline metric (HEADLINE_METRICS) at the last horizon, and
    one of Shapley values when the attribution has them; the time paths of each
    of `series` (left out, with a note, when the run files are not there); the
    table of effects at the last horizon.
    """
    result = load_attribution(path)
    out = Path(out_dir) if out_dir is not None else result.path / "report"
    out.mkdir(parents=True, exist_ok=True)
    effects = result.effects
    images = []
    for metric in HEADLINE_METRICS:
        if not ((effects.metric == metric) & (effects.kind == "knockout")).any():
            continue
        images.append((f"{metric}: what each loop adds", f"tornado-{slug(metric)}.png",
                       tornado_figure(result, metric)))
        if ((effects.metric == metric) & (effects.kind == "shapley")).any():
            images.append((f"{metric}: Shapley values", f"shapley-{slug(metric)}.png",
                           tornado_figure(result, metric, kind="shapley")))
    notes = []
    try:
        paths = attribution_paths(result.path, series, variants=[BASELINE, *result.loops])
        for name in series:
            images.append((f"time paths: {name}", f"paths-{slug(name)}.png",
                           paths_figure(result.path, name, paths=paths)))
    except (OSError, ValueError, KeyError) as error:
        notes.append(f"No time paths: {error}")
    for _, name, fig in images:
        fig.savefig(out / name, dpi=dpi)
    index = out / "index.html"
    index.write_text(page(result, images, effects_table(result), notes), encoding="utf-8")
    return index


def page(result, images, table, notes=()):
    """The HTML of an attribution's report."""
    a = result.attrs
    title = html.escape(f"flywheel attribution: {a.get('config', result.path.name)}")
    horizons = sorted(result.effects.horizon.unique())
    seeds = int(result.effects.seeds.max()) if "seeds" in result.effects and len(result.effects) else "?"
    facts = (f"Loops: {', '.join(result.loops)}. {seeds} seeds (common random numbers), horizons "
             f"{', '.join(map(str, horizons))} days"
             + (f", knockouts branched from the baseline at day {a['branch_at']}" if a.get("branch_at") else "")
             + (f", flows (orders, GMV, conversion, ...) from day {a['since']} to each horizon" if "since" in a
                else ", flows over the year to each horizon")
             + f". Directory {result.path}.")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{title}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:90%}"
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
        ".plots{display:flex;flex-wrap:wrap;gap:1em}.plots figure{margin:0}img{max-width:100%}</style></head><body>",
        f"<h1>{title}</h1>", f"<p>{html.escape(facts)}</p>",
        "<p>Each loop's effect is the baseline (every loop on) less the knockout (that loop off), "
        "mean over seeds, with its 95% interval across seeds.</p>",
        '<h2>What each loop adds</h2><div class="plots">',
    ]
    paths = [(c, n) for c, n, _ in images if n.startswith("paths-")]
    for caption, name, _ in images:
        if (caption, name) not in paths:
            parts.append(f'<figure><img src="{html.escape(name)}" alt="{html.escape(caption)}"></figure>')
    parts.append("</div><h2>Time paths</h2>")
    parts += [f"<p>{html.escape(note)}</p>" for note in notes]
    for caption, name in paths:
        parts += [f"<h3>{html.escape(caption)}</h3>", f'<img src="{html.escape(name)}" alt="{html.escape(caption)}">']
    horizon = max(horizons) if horizons else "?"
    parts += [f"<h2>Effects by day {horizon}: effect [95% interval]</h2>", table.to_html(), "</body></html>"]
    return "\n".join(parts) + "\n"
