"""How well a platform's ranker knows its offers, by offer age: the data advantage of scale per offer.

Read from a run's snapshots (`output.snapshot_interval`): each offer's
evidence (the ranker's precision-weighted signals), its seller's true
quality and its age. A platform that draws entrants lists more new offers,
whose errors are prior-sized, so its `ranker_error` can be the higher while
it knows every offer of a given age the better (docs/model.md, "Who learns
best, offer by offer").
"""

import numpy as np
import pandas as pd

from .agents import snapshot
from .load import as_run_list, read_series, run_config

# Offer ages (days since it was first shown), as bin edges.
AGE_EDGES = (0, 90, 180, 365, 730, np.inf)


def errors_by_offer_age(runs, tick=None, edges=AGE_EDGES):
    """Per platform and bin of offer age: offers, the ranker's mean absolute error, median precision, sales.

    `runs`: a run file's path or a list of them (pooled: seeds). From each
    file's offers and sellers snapshots at `tick` (default: the last), an
    offer's error is |posterior mean - its seller's true quality|, the
    posterior mean being (m0 / prior_sd^2 + evidence_sum) / (1 / prior_sd^2 +
    evidence_precision) with its platform's `ranker.prior_sd` and learnt prior
    mean m0 for offers of its kind (`ranker_prior_mean_1p` or `_3p` at that
    tick; 0 in a file written before it was learnt); its age is the tick less
    `selling_from` (offers still onboarding are left out). A DataFrame with
    columns platform, age_from, age_to, offers, error, median_precision
    (the ranker's evidence precision) and units_per_day (the mean of the
    sellers' own sales-rate estimates); bins with no offer are left out.
    """
    frames = [_offers(path, tick) for path in as_run_list(runs)]
    offers = pd.concat(frames, ignore_index=True)
    offers["bin"] = pd.cut(offers.age, list(edges), right=False, labels=False)
    table = offers.groupby(["platform", "bin"]).agg(
        offers=("error", "size"), error=("error", "mean"), median_precision=("evidence_precision", "median"),
        units_per_day=("sales_rate", "mean")).reset_index()
    table.insert(1, "age_from", [edges[int(b)] for b in table.bin])
    table.insert(2, "age_to", [edges[int(b) + 1] for b in table.bin])
    return table.drop(columns="bin")


def age_standardised_errors(runs, tick=None, edges=AGE_EDGES):
    """Per run file and platform: its orders so far and the ranker's error, raw and age-standardised.

    A platform that draws more entrants holds more new offers, whose errors are
    prior-sized; comparing platforms' raw mean errors then compares their offers'
    ages as much as their data. Age-standardised (direct standardisation), each
    platform's mean error per bin of offer age (`edges`) is weighted by the age mix
    of all the platforms' offers in that file, so every platform is judged on the
    same offers' ages; a bin a platform lacks takes the file's mean error in it.
    From each file's offers snapshot at `tick` (default: the last), as
    `errors_by_offer_age`. A DataFrame with columns run (the path), tick, platform,
    orders (its orders up to and including the tick), offers, error (mean over its
    offers) and standardised_error.
    """
    rows = []
    for path in as_run_list(runs):
        offers = _offers(path, tick)
        at = offers.attrs["tick"]
        offers["bin"] = pd.cut(offers.age, list(edges), right=False, labels=False)
        mix = offers.bin.value_counts(normalize=True)
        pooled = offers.groupby("bin").error.mean()
        orders = read_series(path, ["orders"]).orders.sel(tick=slice(None, at)).sum("tick").to_series()
        for platform in orders.index:  # the file's order of platforms
            mine = offers[offers.platform == platform]
            if mine.empty:
                continue
            by_bin = mine.groupby("bin").error.mean().reindex(mix.index).fillna(pooled)
            rows.append({"run": str(path), "tick": at, "platform": platform, "orders": int(orders[platform]),
                         "offers": len(mine), "error": mine.error.mean(),
                         "standardised_error": float((by_bin * mix).sum())})
    return pd.DataFrame(rows)


def _offers(path, tick):
    """One file's offers at `tick` with their platform, age, error, evidence precision and sales rate."""
    offers = snapshot(path, tick=tick, table="offers")
    at = offers.attrs["tick"]
    sellers = snapshot(path, tick=at, table="sellers").set_index("id")
    config = run_config(path)
    prior_sd = {p["name"]: p.get("ranker", {}).get("prior_sd", 1.0) for p in config.get("platforms", [])}
    first_party = sellers.owner.reindex(offers.seller.to_numpy()).notna().to_numpy()
    prior_mean = _prior_means(path, at, offers.platform, first_party)
    prior_precision = offers.platform.map(prior_sd).astype(float).to_numpy() ** -2
    precision = offers.evidence_precision.astype(float)
    mean = (prior_mean * prior_precision + offers.evidence_sum.astype(float)) / (prior_precision + precision)
    quality = sellers.quality.reindex(offers.seller.to_numpy()).to_numpy(float)
    frame = pd.DataFrame({"platform": offers.platform, "age": at - offers.selling_from.astype(np.int64),
                          "error": np.abs(mean.to_numpy() - quality), "evidence_precision": precision,
                          "sales_rate": offers.sales_rate.astype(float)})
    frame = frame[frame.age >= 0].copy()
    frame.attrs["tick"] = at
    return frame


def _prior_means(path, tick, platform, first_party):
    """The prior mean the ranker held for each offer after `tick`: its platform's learnt mean of 1P or 3P offers."""
    series = read_series(path, ["ranker_prior_mean_1p", "ranker_prior_mean_3p"])
    if "ranker_prior_mean_3p" not in series:  # written before the ranker learnt its prior: 0
        return np.zeros(len(platform))
    at = series.sel(tick=tick)
    means = {kind: pd.Series(at[f"ranker_prior_mean_{kind}"].values, index=at.platform.values)
             for kind in ("1p", "3p")}
    return np.where(first_party, platform.map(means["1p"]).to_numpy(float), platform.map(means["3p"]).to_numpy(float))

