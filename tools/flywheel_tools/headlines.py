"""Headline figures of a run: where each platform started and ended."""

import pandas as pd

# (series, label); figures are means over the first and the last `window` days.
HEADLINES = [
    ("active_customers", "customers"),
    ("visits", "visits per day"),
    ("orders", "orders per day"),
    ("market_share", "market share"),
    ("sellers_3p", "3P sellers"),
    ("offers", "offers"),
    ("third_party_unit_share", "3P share of units"),
    ("average_price_paid", "average price paid"),
    ("price_index", "price index"),
    ("delivery_days", "delivery days"),
    ("take_rate", "take rate"),
    ("ranker_error", "ranker error"),
    ("cash", "cash"),
]


def headlines(ds, window=30):
    """DataFrame indexed by (label, platform) with columns `first` and `last`: means over `window` days."""
    window = max(1, min(window, ds.sizes["tick"] // 2))
    rows = []
    for name, label in HEADLINES:
        if name not in ds:
            continue
        first = ds[name].isel(tick=slice(0, window)).mean("tick")
        last = ds[name].isel(tick=slice(-window, None)).mean("tick")
        for platform in ds.platform.values:
            rows.append({"figure": label, "platform": str(platform),
                         f"first {window} days": float(first.sel(platform=platform)),
                         f"last {window} days": float(last.sel(platform=platform))})
    return pd.DataFrame(rows).set_index(["figure", "platform"])
