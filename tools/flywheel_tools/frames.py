"""A run's series as pandas DataFrames: tidy (long) and wide per platform; many runs' too (a `run` dimension)."""

import pandas as pd


def per_platform(ds):
    """Names of the (`tick`, `platform`) series (per run, where `ds` has a `run` dimension)."""
    return [n for n, v in ds.data_vars.items() if tuple(d for d in v.dims if d != "run") == ("tick", "platform")]


def run_labels(ds):
    """The coordinates along `run` that label each run (seed, replicate, swept parameters, ...)."""
    return [n for n, c in ds.coords.items() if c.dims == ("run",) and n != "run"]


def tidy_frame(ds, variables=None):
    """Long format, one row per (tick, platform, variable): columns tick, platform, variable, value.

    Per-platform series by default; a market-wide series asked for by name gets
    platform None, since it belongs to no platform. Values are float64 so that
    counts and money share one column. Over many runs (a `run` dimension) rows
    are per run too, and the columns start with `run` and the runs' labels
    (`run_labels`), so that runs can be grouped by seed or by swept parameter.
    """
    names = per_platform(ds) if variables is None else list(variables)
    keys = ["run", *run_labels(ds)] if "run" in ds.dims else []
    parts = []
    for name in names:
        var = ds[name]
        frame = var.astype("float64").to_dataframe(name="value").reset_index()
        if "platform" not in var.dims:
            frame["platform"] = None
        frame["variable"] = name
        parts.append(frame[[*keys, "tick", "platform", "variable", "value"]])
    return pd.concat(parts, ignore_index=True)


def wide_frame(ds, platform=None, variables=None):
    """One column per series: indexed by (tick, platform), or by tick for one `platform`; `run` first, and the
    runs' labels as columns, over many runs."""
    names = per_platform(ds) if variables is None else list(variables)
    if platform is not None:
        return ds[names].sel(platform=platform, drop=True).to_dataframe()
    return ds[names].to_dataframe()
