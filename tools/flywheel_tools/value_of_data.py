"""The value of data: how the ranker's errors fall as a platform's transactions pile up.

Each tick of a run is placed by the platform's cumulative orders before that
day (kept orders: what the ranker had learnt from when it ranked the day's
lists) into log-spaced bins, and the ranker's errors, conversion and the
shoppers' experience are averaged per bin. Several runs (seeds) are pooled:
each run's bin means are averaged, with the count of runs (replicates) that
reached the bin. `diminishing_returns` fits the errors against log(cumulative
orders) and `gain_per_order` gives what one more transaction buys, bin to bin.
"""

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from .load import as_run_list, read_series

# Series of the table: (weight, panel title). A bin's figure is the mean over its ticks weighted by the
# day's weight, which pools the day's ratio as the simulator forms it: ranker_error is over the offers in lists
# (listed_offers), taste_error over the visits shown a list (listed_visits), conversion is orders / visits,
# mean_experience is over purchases (orders and returns); list_regret (over the regret panel's listed visits,
# a fixed share of customers) is weighted by visits, near enough. Files written before listed_offers and
# listed_visits were output weigh by offers and visits instead. A day whose weight is 0 (no visits, no offers)
# does not count; without the weight's series in the file each tick counts once.
SERIES = {
    "ranker_error": ("listed_offers", "quality error (mean absolute)"),
    "taste_error": ("listed_visits", "taste error"),
    "list_regret": ("visits", "list regret (utility lost to an oracle's list)"),
    "conversion": ("visits", "conversion (orders per visit)"),
    "mean_experience": ("purchases", "mean experience of a purchase"),
}
# The weights output for that purpose (older files lack them).
WEIGHTS = ("listed_offers", "listed_visits")
# The errors whose fall `diminishing_returns` and `gain_per_order` measure.
LEARNING = ("ranker_error", "list_regret")
# Columns of the table before the series.
KEYS = ["platform", "bin", "orders_from", "orders_to", "cumulative_orders", "ticks"]


def value_of_data(runs, bins=8, edges=None, by_run=False):
    """Per platform and bin of cumulative orders: the mean of each of SERIES, the ticks, the replicates.

    `runs`: a run file's path, a Dataset (`load_run`), or a list of either.
    The bins are `bins` log-spaced intervals of the cumulative orders before
    the day (the platform's kept orders up to the day before), shared by every
    run and platform: from the smallest positive count to the largest, the
    first bin opened down to 0 so that it also holds the days before the first
    order. `edges` (increasing) gives the bins instead: [edges[i],
    edges[i + 1]), the last one closed; ticks outside are left out.

    A DataFrame with a row per (platform, bin) that holds ticks, platforms in
    the order of the files, bins in order: columns platform, bin (from 0),
    orders_from and orders_to (the bin's edges), cumulative_orders (mean over
    the bin's ticks), ticks (over every run), replicates (runs with ticks in
    the bin), then each of SERIES (NaN where a run file lacks it). With
    several runs, each figure is the mean over the runs of their bin's mean.
    `by_run`: a row per (run, platform, bin) instead, `run` the path (or the
    Dataset's `path` attribute), without `replicates`.
    """
    frames = [_ticks(i, run) for i, run in enumerate(as_run_list(runs))]
    ticks = pd.concat(frames, ignore_index=True)
    edges = _edges(ticks.cumulative_orders.to_numpy(), bins) if edges is None else np.asarray(edges, float)
    if edges.ndim != 1 or len(edges) < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"bin edges must increase, at least two of them: {edges}")
    ticks["bin"] = _bin_of(ticks.cumulative_orders.to_numpy(), edges)
    ticks = ticks[ticks.bin >= 0].copy()
    for name in SERIES:
        ticks[name] = ticks[name] * ticks[f"{name}.weight"]
    sums = ticks.groupby(["run", "platform", "bin"], sort=False).sum(numeric_only=True)
    sums = sums.reset_index()
    per_run = sums[["run", "platform", "bin"]].copy()
    per_run["orders_from"] = edges[per_run.bin]
    per_run["orders_to"] = edges[per_run.bin + 1]
    per_run["cumulative_orders"] = sums.cumulative_orders / sums.ticks
    per_run["ticks"] = sums.ticks.astype(np.int64)
    for name in SERIES:
        weight = sums[f"{name}.weight"]
        per_run[name] = np.where(weight > 0, sums[name] / weight.where(weight > 0), np.nan)
    platforms = list(dict.fromkeys(ticks.platform))
    order = pd.Categorical(per_run.platform, categories=platforms, ordered=True)
    per_run = per_run.assign(_order=order).sort_values(["run", "_order", "bin"], kind="stable")
    if by_run:
        per_run["run"] = [frames[i].attrs["label"] for i in per_run.run]
        return per_run.drop(columns="_order").reset_index(drop=True)
    groups = per_run.groupby(["_order", "bin"], sort=True, observed=True)
    table = groups[["orders_from", "orders_to", "cumulative_orders", *SERIES]].mean()
    table["ticks"] = groups.ticks.sum()
    table["replicates"] = groups.run.nunique()
    table = table.reset_index().rename(columns={"_order": "platform"})
    table["platform"] = table.platform.astype(str)
    return table[[*KEYS, "replicates", *SERIES]]


def gain_per_order(table, series=LEARNING):
    """`table` (from `value_of_data`) with a column `<series>_gain` per series: what one more transaction buys.

    The fall of the series from the platform's previous bin to this one,
    divided by the rise of cumulative orders between them (NaN in each
    platform's first bin): positive while the error falls. With diminishing
    returns it falls as the orders grow.
    """
    out = table.copy()
    groups = out.groupby(_group_keys(out), sort=False)
    rise = groups.cumulative_orders.diff()
    for name in series:
        out[f"{name}_gain"] = -groups[name].diff() / rise
    return out


def diminishing_returns(table, series=LEARNING):
    """Per platform (and run, for a `by_run` table) and series: how the error falls with the transactions.

    Columns: platform, series, bins (the bins fitted: those with a value and
    cumulative orders above 0), slope (least squares, each bin counting once, of
    the series against the natural log of cumulative orders: the change per
    e-fold of transactions; times log(2) per doubling), r2 (of that fit),
    peak_orders (the cumulative orders of the bin where the series is highest:
    past it, more data helps), slope_after_peak (the fit from that bin on),
    first_gain and last_gain (`gain_per_order` in the first bin past the peak
    and in the last bin), gains_fall (last_gain below first_gain, both
    positive: each extra order buys less than the earlier ones did).
    """
    gains = gain_per_order(table, series)
    rows = []
    keys = _group_keys(gains)
    for key, group in gains.groupby(keys if len(keys) > 1 else keys[0], sort=False):
        labels = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        for name in series:
            fit = group[np.isfinite(group[name]) & (group.cumulative_orders > 0)]
            slope, r2 = _log_fit(fit.cumulative_orders, fit[name])
            peak_orders = slope_after = first = last = np.nan
            if len(fit):
                peak = fit[name].to_numpy(float).argmax()
                peak_orders = fit.cumulative_orders.iloc[peak]
                after = fit.iloc[peak:]
                slope_after, _ = _log_fit(after.cumulative_orders, after[name])
                found = after[f"{name}_gain"].iloc[1:].dropna()
                first, last = (found.iloc[0], found.iloc[-1]) if len(found) else (np.nan, np.nan)
            rows.append({**labels, "series": name, "bins": len(fit), "slope": slope, "r2": r2,
                         "peak_orders": peak_orders, "slope_after_peak": slope_after,
                         "first_gain": first, "last_gain": last, "gains_fall": bool(0 < last < first)})
    return pd.DataFrame(rows, columns=[*keys, "series", "bins", "slope", "r2", "peak_orders", "slope_after_peak",
                                       "first_gain", "last_gain", "gains_fall"])


def _log_fit(orders, values):
    """Slope and r2 of the least-squares line of `values` against log(`orders`); NaN with under 2 points."""
    x, y = np.log(np.asarray(orders, float)), np.asarray(values, float)
    if len(x) < 2 or np.ptp(x) == 0:
        return np.nan, np.nan
    slope, intercept = np.polyfit(x, y, 1)
    spread = np.sum((y - y.mean()) ** 2)
    return slope, 1 - np.sum((y - (slope * x + intercept)) ** 2) / spread if spread > 0 else np.nan


def value_of_data_figure(table, title=None):
    """A panel per series of SERIES against cumulative orders (log scale), a line per platform, and a panel
    of ranker_error's gain per extra order (symmetric log scale). `table` from `value_of_data` (pooled)."""
    gains = gain_per_order(table, ["ranker_error"])
    fig = Figure(figsize=(15, 6.5), layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    panels = [(name, label) for name, (_, label) in SERIES.items()] + [
        ("ranker_error_gain", "quality error's fall per extra order")]
    for ax, (name, label) in zip(axes, panels):
        for platform, rows in gains.groupby("platform", sort=False):
            ax.plot(rows.cumulative_orders, rows[name], marker="o", markersize=3, linewidth=1, label=str(platform))
        ax.set_xscale("log")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("cumulative orders")
        ax.grid(alpha=0.3)
    axes[-1].axhline(0, color="black", linewidth=0.8)
    gain = np.abs(gains.ranker_error_gain.to_numpy(float))
    if np.isfinite(gain).any() and np.nanmax(gain) > 0:  # gains span decades, either side of 0
        axes[-1].set_yscale("symlog", linthresh=np.nanmin(gain[gain > 0]))
    axes[0].legend(fontsize=8)
    replicates = int(table.replicates.max()) if "replicates" in table and len(table) else 1
    fig.suptitle(title or f"value of data: bins of cumulative orders, mean over {replicates} run(s)", fontsize=12)
    return fig


def cumulative_orders(ds):
    """A run's cumulative orders before each day, per platform: what the ranker had learnt from that day."""
    orders = ds["orders"].astype("float64")
    return orders.cumsum("tick") - orders


def _ticks(index, run):
    """A row per (platform, tick) of one run: cumulative orders, each series and its weight."""
    if isinstance(run, xr.Dataset):
        ds, label = run, run.attrs.get("path", f"run {index}")
    else:
        ds, label = read_series(run, [*SERIES, *WEIGHTS, "orders", "visits", "offers", "returns"]), str(run)
    for name in ("orders", "visits"):
        if name not in ds:
            raise KeyError(f"no series {name!r} in {label}")
    purchases = ds["orders"] + ds["returns"] if "returns" in ds else ds["orders"]
    weights = {"visits": ds["visits"], "purchases": purchases,
               "listed_offers": ds.get("listed_offers", ds.get("offers")),
               "listed_visits": ds.get("listed_visits", ds["visits"])}
    cumulative = cumulative_orders(ds)
    parts = []
    for platform in ds.platform.values:
        at = {"platform": platform}
        part = {"run": index, "platform": str(platform), "tick": ds.tick.values,
                "cumulative_orders": cumulative.sel(at).values, "ticks": 1}
        for name, (weight, _) in SERIES.items():
            w = weights[weight]
            part[name] = ds[name].sel(at).values.astype(float) if name in ds else np.nan
            part[f"{name}.weight"] = w.sel(at).values.astype(float) if w is not None else 1.0
            if name not in ds:
                part[f"{name}.weight"] = 0.0
        parts.append(pd.DataFrame(part))
    frame = pd.concat(parts, ignore_index=True)
    frame.attrs["label"] = label
    return frame


def _edges(cumulative, bins):
    """`bins` log-spaced edges from the smallest positive count to the largest, the first lowered to 0."""
    if bins < 1:
        raise ValueError(f"bins must be at least 1, not {bins}")
    positive = cumulative[cumulative > 0]
    low = positive.min() if len(positive) else 1.0
    high = max(cumulative.max(), low) if len(cumulative) else low
    if high <= low:
        high = low * 10.0
    edges = np.geomspace(low, high, bins + 1)
    edges[0] = 0.0
    return edges


def _bin_of(values, edges):
    """The bin of each value, [edges[i], edges[i + 1]) with the last closed; -1 outside."""
    found = np.searchsorted(edges, values, side="right") - 1
    found[values == edges[-1]] = len(edges) - 2
    found[(values < edges[0]) | (values > edges[-1])] = -1
    return found


def _group_keys(table):
    return ["run", "platform"] if "run" in table else ["platform"]
