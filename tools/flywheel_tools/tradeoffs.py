"""A sweep's trade-offs: each outcome against the swept value, with replicate bands.

A sweep's replicate r runs every point with the same seed (common random
numbers), so a point's change from the sweep's first point is measured
replicate by replicate (paired), which takes the seeds' shared noise out.
"""

import html
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from .load import read_series
from .report import slug
from .sweep import index_path, parameters, read_index, sweep_status

# What a platform's revenue, its shoppers and its sellers get, and how much of
# the platform's selling is its own: the trade-off between ad load,
# self-preferencing and welfare.
METRICS = ("ad_revenue", "revenue", "operating_profit", "consumer_surplus", "profit_3p", "welfare",
           "mean_experience", "first_party_unit_share")

# Ratios per platform: meaningless summed over platforms.
RATIOS = frozenset({"mean_experience"})

# Shares computed from the window's sums (numerator, denominator parts), not as
# a mean of daily ratios, so a day with few sales weighs what it sold.
SHARES = {"first_party_unit_share": ("units_1p", ("units_1p", "units_3p"))}


def is_sweep(path):
    """Whether `path` is a sweep's output directory (one holding index.csv) or its index.csv."""
    index = index_path(path)
    return index.name == "index.csv" and index.is_file()


def swept_platform(parameter, platforms):
    """The platform a swept key path names (`platforms.alpha.ad_slots` or `platforms.0.ad_slots`), else None."""
    parts = str(parameter).split(".")
    if len(parts) < 3 or parts[0] != "platforms":
        return None
    name = parts[1]
    if name in platforms:
        return name
    return platforms[int(name)] if name.isdigit() and int(name) < len(platforms) else None


def _window_values(run, metrics, platform, last):
    """Each metric of `platform` (summed over platforms when None) over the run's last `last` ticks."""
    window = run.isel(tick=slice(-last, None))

    def select(name):
        values = window[name]
        if "platform" in values.dims:
            values = values.sel(platform=platform) if platform is not None else values.sum("platform")
        return values

    values = {}
    for metric in metrics:
        if metric in SHARES:
            numerator, parts = SHARES[metric]
            if all(p in window for p in parts):
                total = float(sum(select(p).sum("tick") for p in parts))
                values[metric] = float(select(numerator).sum("tick")) / total if total > 0 else np.nan
        elif metric in window and (platform is not None or metric not in RATIOS):
            values[metric] = float(select(metric).mean("tick"))
    return values


def sweep_outcomes(sweep, metrics=METRICS, platform=None, last=90):
    """One row per complete run: its point, replicate, seed, swept values and each metric.

    A metric is the platform's series (summed over platforms when `platform`
    is None; ratios such as mean_experience then left out) averaged over the
    run's last `last` ticks; a share in SHARES is the ratio of the window's
    sums. Metrics the runs lack are left out. Only the series needed are read
    (`read_series`), so a sweep of many runs loads in moments.
    """
    folder = index_path(sweep).parent
    index = sweep_status(folder)
    index = index[index["status"] == "complete"]
    if index.empty:
        raise FileNotFoundError(f"no complete runs in {index_path(folder)}")
    swept = parameters(index.drop(columns="status"))
    names = sorted({name for m in metrics for name in (SHARES[m][1] if m in SHARES else (m,))})
    runs = [read_series(folder / f, names) for f in index["file"]]
    last = min(int(last), min(run.sizes["tick"] for run in runs))
    rows = [_window_values(run, metrics, platform, last) for run in runs]
    frame = index[["point", "replicate", "seed", *swept]].reset_index(drop=True)
    frame = pd.concat([frame, pd.DataFrame(rows, columns=[m for m in metrics if any(m in r for r in rows)])], axis=1)
    frame.attrs.update(parameters=swept, platform=platform, last=last)
    return frame


def tradeoff_table(outcomes, parameter):
    """Per value of `parameter`: each metric's replicate mean with its 95% t interval, and its paired change from
    the first value (mean over replicates of the run's value less the same replicate's at the first value) with
    its 95% interval. Columns `metric`, `parameter`'s name, `replicates`, `mean`, `low`, `high`, `change`,
    `change_low`, `change_high`."""
    labels = ("point", "replicate", "seed", *outcomes.attrs.get("parameters", [parameter]))
    metrics = [c for c in outcomes.columns if c not in labels]
    values = sorted(outcomes[parameter].unique())
    first = outcomes[outcomes[parameter] == values[0]].set_index("replicate")
    rows = []
    for metric in metrics:
        for value in values:
            at = outcomes[outcomes[parameter] == value].set_index("replicate")[metric]
            change = (at - first[metric].reindex(at.index)).dropna()
            mean, low, high = _interval(at.dropna())
            c_mean, c_low, c_high = _interval(change)
            rows.append({"metric": metric, parameter: value, "replicates": int(at.notna().sum()), "mean": mean,
                         "low": low, "high": high, "change": c_mean, "change_low": c_low, "change_high": c_high})
    return pd.DataFrame(rows)


def _interval(sample):
    """Mean and 95% t interval of a sample (NaN bounds with fewer than two values)."""
    n = len(sample)
    if n == 0:
        return np.nan, np.nan, np.nan
    mean = float(np.mean(sample))
    if n < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf(0.975, n - 1) * float(np.std(sample, ddof=1)) / np.sqrt(n)
    return mean, mean - half, mean + half


def tradeoff_figure(outcomes, parameter, title=None, table=None):
    """A panel per metric: each replicate's value (dots) against `parameter`, the replicate mean (line) and its
    95% interval (band). `table`: `tradeoff_table(outcomes, parameter)`, when the caller has it already."""
    table = tradeoff_table(outcomes, parameter) if table is None else table
    metrics = list(dict.fromkeys(table.metric))
    columns = min(4, len(metrics))
    rows = -(-len(metrics) // columns)
    fig = Figure(figsize=(3.2 * columns, 2.6 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax, metric in zip(axes.flat, metrics):
        part = table[table.metric == metric]
        ax.fill_between(part[parameter], part["low"], part["high"], color="tab:blue", alpha=0.2, linewidth=0)
        ax.plot(part[parameter], part["mean"], color="tab:blue", marker="o", markersize=3)
        ax.scatter(outcomes[parameter], outcomes[metric], color="black", s=6, alpha=0.6, zorder=3)
        ax.set_title(metric, fontsize=9)
        ax.set_xlabel(parameter, fontsize=7)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    where = outcomes.attrs.get("platform") or "all platforms"
    fig.suptitle(title or f"{where}: mean of the last {outcomes.attrs.get('last', '?')} days, against {parameter}; "
                          "band: 95% interval of the replicates' mean", fontsize=9)
    return fig


def tradeoff_report(sweep, out_dir=None, platform=None, last=90, dpi=80):
    """Writes tradeoffs-<parameter>.png per swept parameter, tradeoffs.csv (the table) and index.html to
    `out_dir` (default SWEEP/report); returns the index path. The platform is `platform`, else the one the
    first swept key names, else all platforms summed."""
    folder = index_path(sweep).parent
    out = Path(out_dir) if out_dir is not None else folder / "report"
    out.mkdir(parents=True, exist_ok=True)
    index = read_index(folder)
    swept = parameters(index)
    if platform is None and swept:
        first = folder / index["file"].iloc[0]
        platform = swept_platform(swept[0], list(read_series(first, []).platform.values))
    outcomes = sweep_outcomes(folder, platform=platform, last=last)
    tables = []
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>flywheel sweep: {html.escape(str(folder))}</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}img{max-width:100%}</style></head><body>",
             f"<h1>flywheel sweep: {html.escape(str(folder))}</h1>",
             f"<p>{len(outcomes)} complete runs; outcomes of {html.escape(platform or 'all platforms')}, each the "
             f"mean of a run's last {outcomes.attrs['last']} days. <i>change</i> is paired by replicate (common "
             "random numbers) against the first swept value; low/high bound its 95% interval.</p>"]
    for parameter in swept:
        name = f"tradeoffs-{slug(parameter)}.png"
        table = tradeoff_table(outcomes, parameter)
        tradeoff_figure(outcomes, parameter, table=table).savefig(out / name, dpi=dpi)
        tables.append(table.assign(parameter=parameter).rename(columns={parameter: "value"}))
        parts += [f"<h2>{html.escape(parameter)}</h2>", f'<img src="{html.escape(name)}" alt="{html.escape(parameter)}">',
                  table.to_html(index=False, float_format=lambda x: f"{x:,.4g}", na_rep="")]
    pd.concat(tables).to_csv(out / "tradeoffs.csv", index=False)
    parts.append("</body></html>")
    index = out / "index.html"
    index.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return index
