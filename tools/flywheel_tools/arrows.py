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

Over many runs (a `run` dimension, from `load_runs` or `load_sweep`) each
run is correlated on its own and the runs combined per lag: a pooled
series would correlate one run's end with the next run's start.
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


def is_count(var):
    """Whether a series counts things (growth rates apply): integer, or float holding only whole numbers,
    which is what joining runs of different lengths (NaN past a run's end) makes of a count."""
    if np.issubdtype(var.dtype, np.integer):
        return True
    if not np.issubdtype(var.dtype, np.floating):
        return False
    finite = var.values[np.isfinite(var.values)]
    return finite.size > 0 and bool(np.all(finite == np.round(finite)))


def changes(values, period, count):
    """Per-period growth rate (`count`) or first difference (anything else) of a 1-D series."""
    periods = len(values) // period
    # A period's mean skips undefined days (a ratio is NaN on a day without its denominator).
    periods_by_day = np.asarray(values, dtype=float)[: periods * period].reshape(periods, period)
    means = pd.DataFrame(periods_by_day).mean(axis=1).to_numpy()
    if count:
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(means > 0, np.log(means), np.nan)
        return np.diff(logs)
    return np.diff(means)


def detrend(values, window):
    """`values` less their centred rolling mean over `window` points (NaNs skipped)."""
    trend = pd.Series(values).rolling(window, center=True, min_periods=1).mean().to_numpy()
    return values - trend


def signed_changes(ds, name, platform, period, window, count):
    """Detrended `changes` of series `name` for `platform`, negated for `-name`."""
    sign = -1 if name.startswith("-") else 1
    return sign * detrend(changes(ds[name.lstrip("-")].sel(platform=platform).values, period, count), window)


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
    2 / sqrt(points) is more than noise. With a `run` dimension, `correlation`
    is the mean over runs of each run's correlation, `spread` their standard
    deviation, `runs` how many runs had one, and `points` the fewest periods
    any run correlated.
    """
    ticks = ds.sizes["tick"]
    period = period or default_period(ticks)
    periods = ticks // period
    max_lag = max_lag if max_lag is not None else max(1, min(12, periods // 4))
    counts = {name: is_count(ds[name]) for pair in pairs for name in (pair.cause.lstrip("-"), pair.effect.lstrip("-"))}
    if "run" not in ds.dims:
        return run_correlations(ds, pairs, period, max_lag, counts)
    per_run = pd.concat([run_correlations(ds.isel(run=i), pairs, period, max_lag, counts)
                         for i in range(ds.sizes["run"])])
    combined = per_run.groupby(["arrow", "cause", "effect", "platform", "lag", "lag_days"], sort=False).agg(
        correlation=("correlation", "mean"), spread=("correlation", "std"), runs=("correlation", "count"),
        points=("points", "min"))
    return combined.reset_index()


def run_correlations(ds, pairs, period, max_lag, counts):
    """`cross_correlations` of one run; `counts` tells which series are counts (`is_count`)."""
    window = 2 * max_lag + 1
    rows = []
    for pair in pairs:
        for platform in ds.platform.values:
            cause = signed_changes(ds, pair.cause, platform, period, window, counts[pair.cause.lstrip("-")])
            effect = signed_changes(ds, pair.effect, platform, period, window, counts[pair.effect.lstrip("-")])
            lags, corr = lagged_correlation(cause, effect, max_lag)
            points = int((np.isfinite(cause) & np.isfinite(effect)).sum())
            for lag, c in zip(lags, corr):
                rows.append({**pair._asdict(), "platform": str(platform), "lag": int(lag),
                             "lag_days": int(lag) * period, "correlation": c, "points": points})
    return pd.DataFrame(rows)


def noise_level(points, runs=1, spread=0.0):
    """How far from zero a peak correlation must be to be more than noise: 2 / sqrt(n), n the periods
    correlated over all runs (a mean over `runs` independent runs is sqrt(runs) times less noisy than one);
    over runs at least twice the standard error of their mean (2 spread / sqrt(runs)), since runs may
    disagree by more than sampling noise. A rough guide: the largest of 2L + 1 lags exceeds it more often
    than one lag would."""
    return np.maximum(2 / np.sqrt(np.maximum(points * runs, 1)), 2 * spread / np.sqrt(runs))


def verdict(lag, correlation, noise):
    """What a pair's peak says of its arrow: "unclear" if it is within `noise` of zero; "simultaneous" if
    positive at lag 0 (both changed in the same period: which came first cannot be told at this period);
    "supported" if positive with the cause leading (lag > 0); "not supported" otherwise (the effect leads,
    or the correlation is negative: the two move against the arrow)."""
    if abs(correlation) < noise:
        return "unclear"
    if correlation > 0 and lag == 0:
        return "simultaneous"
    return "supported" if correlation > 0 and lag > 0 else "not supported"


def leads(frame):
    """Per pair and platform: the lag (days) of the strongest correlation (largest in absolute value: a
    strong negative one says the two move against the arrow), that correlation, its `noise` level
    (`noise_level`) and the `verdict` on the arrow; `spread` and `runs` too over many runs."""
    valid = frame.dropna(subset=["correlation"])
    strength = valid["correlation"].abs()
    best = valid.loc[strength.groupby([valid.arrow, valid.cause, valid.effect, valid.platform], sort=False).idxmax()]
    best = best.reset_index(drop=True)
    ensemble = ["spread", "runs"] if "runs" in best else []
    if ensemble:
        best["noise"] = noise_level(best["points"], best["runs"], best["spread"].fillna(0.0))
    else:
        best["noise"] = noise_level(best["points"])
    best["verdict"] = [verdict(lag, c, n) for lag, c, n in zip(best["lag"], best["correlation"], best["noise"])]
    return best[["arrow", "cause", "effect", "platform", "lag_days", "correlation", *ensemble, "points", "noise",
                 "verdict"]]
