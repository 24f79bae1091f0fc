"""A run's series as pandas DataFrames: tidy (long) and wide per platform."""

import pandas as pd


def per_platform(ds):
    """Names of the (`tick`, `platform`) series."""
    return [n for n, v in ds.data_vars.items() if v.dims == ("tick", "platform")]


def tidy_frame(ds, variables=None):
    """Long format, one row per (tick, platform, variable): columns tick, platform, variable, value.

    Per-platform series by default; a market-wide series asked for by name gets
    platform None, since it belongs to no platform. Values are float64 so that
    counts and money share one column.
    """
    names = per_platform(ds) if variables is None else list(variables)
    parts = []
    for name in names:
        var = ds[name]
        frame = var.astype("float64").to_dataframe(name="value").reset_index()
        if "platform" not in var.dims:
            frame["platform"] = None
        frame["variable"] = name
        parts.append(frame[["tick", "platform", "variable", "value"]])
    return pd.concat(parts, ignore_index=True)


def wide_frame(ds, platform=None, variables=None):
    """One column per series: indexed by (tick, platform), or by tick for one `platform`."""
    names = per_platform(ds) if variables is None else list(variables)
    if platform is not None:
        return ds[names].sel(platform=platform, drop=True).to_dataframe()
    return ds[names].to_dataframe()
