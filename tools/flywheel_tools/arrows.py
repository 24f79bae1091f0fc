"""Does the cause lead the effect? Lagged cross-correlations for each arrow of the flywheel.

For each pair of series below, both are averaged over periods of a few days
(daily figures are dominated by sampling noise), turned into growth rates
(counts: differences of logs) or first differences (ratios, prices, days),
freed of their slow drift (a centred rolling mean over 2L + 1 periods is
subtracted: along S-shaped paths every growth rate rises and falls together,
and without this any two series of a growing market correlate at every lag),
and correlated at lags -L..L periods: the correlation at lag k is between
the cause's change in period t and the effect's in period t + k, so a peak
at positive k says the cause moves first. A series written `-name` is
negated: the arrow says it should fall (prices, costs, errors) as the
other end rises, so that a positive correlation always reads "as the
arrow says".
"""

from typing import NamedTuple

import numpy as np
import pandas as pd


class Pair(NamedTuple):
    """Two output series standing for an arrow's cause and effect (`-name`: negated)."""

    arrow: str
    cause: str
    effect: str


# The arrows of docs/model.md ("The flywheel, arrow by arrow") and the output
# series that stand for their two ends.
ARROWS = [
    Pair("1 experience -> traffic", "conversion", "visits"),             # visits that found something worth buying
    Pair("1 experience -> traffic", "-price_index", "visits"),           # lower prices paid
    Pair("2 traffic -> sellers", "visits", "sellers_3p"),
    Pair("3 sellers -> selection, prices", "sellers_3p", "offers"),
    Pair("3 sellers -> selection, prices", "sellers_3p", "-price_index"),
    Pair("4 scale -> costs -> prices", "units_fulfilled", "-fulfilment_unit_cost"),
    Pair("4 scale -> costs -> prices", "fulfilment_unit_cost", "price_index"),
    Pair("5 transactions -> ranker error", "orders", "-ranker_error"),
    Pair("5 transactions -> ranker error", "-ranker_error", "conversion"),
]


def arrow_names():
    """The arrows, in order, each once."""
    return list(dict.fromkeys(p.arrow for p in ARROWS))


def default_period(ticks):
    """Days per period: enough periods (about 50) to correlate, at most a month each."""
    return int(min(30, max(1, ticks // 50)))


def changes(values, period):
    """Per-period growth rate (integer counts) or first difference (anything else) of a 1-D series."""
    periods = len(values) // period
    means = np.asarray(values, dtype=float)[: periods * period].reshape(periods, period).mean(axis=1)
    if np.issubdtype(np.asarray(values).dtype, np.integer):
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(means > 0, np.log(means), np.nan)
        return np.diff(logs)
    return np.diff(means)


def detrend(values, window):
    """`values` less their centred rolling mean over `window` points (NaNs skipped)."""
    trend = pd.Series(values).rolling(window, center=True, min_periods=1).mean().to_numpy()
    return values - trend


def signed_changes(ds, name, platform, period, window):
    """Detrended `changes` of series `name` for `platform`, negated for `-name`."""
    sign = -1 if name.startswith("-") else 1
    return sign * detrend(changes(ds[name.lstrip("-")].sel(platform=platform).values, period), window)


def lagged_correlation(cause, effect, max_lag, min_points=8):
    """Pearson correlation of cause[t] with effect[t + k] for k in -max_lag..max_lag (NaN if too few points)."""
    lags = np.arange(-max_lag, max_lag + 1)
    result = np.full(len(lags), np.nan)
    n = len(cause)
    for i, k in enumerate(lags):
        a = cause[max(0, -k): n - max(0, k)]
        b = effect[max(0, k): n - max(0, -k)]
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() >= min_points and a[ok].std() > 0 and b[ok].std() > 0:
            result[i] = np.corrcoef(a[ok], b[ok])[0, 1]
    return lags, result


def cross_correlations(ds, pairs=ARROWS, period=None, max_lag=None):
    """Long DataFrame: arrow, cause, effect, platform, lag (periods), lag_days, correlation, points.

    `points` is the number of periods correlated; roughly, |correlation| above
    2 / sqrt(points) is more than noise.
    """
    ticks = ds.sizes["tick"]
    period = period or default_period(ticks)
    periods = ticks // period
    max_lag = max_lag if max_lag is not None else max(1, min(12, periods // 4))
    rows = []
    for pair in pairs:
        for platform in ds.platform.values:
            cause = signed_changes(ds, pair.cause, platform, period, 2 * max_lag + 1)
            effect = signed_changes(ds, pair.effect, platform, period, 2 * max_lag + 1)
            lags, corr = lagged_correlation(cause, effect, max_lag)
            points = int((np.isfinite(cause) & np.isfinite(effect)).sum())
            for lag, c in zip(lags, corr):
                rows.append({**pair._asdict(), "platform": str(platform), "lag": int(lag),
                             "lag_days": int(lag) * period, "correlation": c, "points": points})
    return pd.DataFrame(rows)


def leads(frame):
    """Per pair and platform: the lag (days) of the largest correlation, and that correlation."""
    valid = frame.dropna(subset=["correlation"])
    best = valid.loc[valid.groupby(["arrow", "cause", "effect", "platform"], sort=False)["correlation"].idxmax()]
    return best[["arrow", "cause", "effect", "platform", "lag_days", "correlation", "points"]].reset_index(drop=True)
