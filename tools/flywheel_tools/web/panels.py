"""The headline panels both pages draw, and reading them from a run's file a slice of ticks at a time."""

from pathlib import Path

import numpy as np

from ..config import parse_config
from ..load import attribute_value, open_run_file

# The operating margin panel shows what the margin mechanisms observe (Platform::metric): profit over revenue,
# each summed over the trailing MARGIN_WINDOW days (the default `policy.metric_window`), with no value before
# the window is whole or where its revenue is not positive. Where revenue is small beside the fixed costs (a
# launch, a platform fading out, a market scaled down for explore) it falls to -1000% and below and would flatten
# every other line: it is clipped to +-MARGIN_LIMIT percent, and the page's tooltip marks a clipped value.
MARGIN_WINDOW = 30
MARGIN_LIMIT = 100.0

# (series, title, unit); "%" series are shares, drawn in percent. `operating_margin` is derived (below).
PANELS = [
    ("active_customers", "customers", "count"),
    ("orders", "orders per day", "count"),
    ("third_party_unit_share", "3P share of units", "%"),
    ("price_index", "price index (price paid / usual price)", "ratio"),
    ("delivery_days", "delivery days", "days"),
    ("cash", "cash", "money"),
    ("operating_margin", f"{MARGIN_WINDOW}-day operating margin (clipped at ±{MARGIN_LIMIT:g}%)", "%"),
    ("members", "paid members", "count"),
    ("welfare", "total welfare (a day)", "money"),
]
# What a derived panel is computed from.
_DERIVED = {"operating_margin": ("operating_profit", "revenue")}
# The bound a panel's values are clipped to (both signs); the page draws them at the edge and says "≤" or "≥".
_LIMITS = {"operating_margin": MARGIN_LIMIT}


class NotARunError(ValueError):
    """The path is not a flywheel output file (or cannot be read as one)."""


def check_run_file(path):
    """Raises NotARunError, saying why, unless `path` is a flywheel output file (running or ended)."""
    path = Path(path)
    if not path.exists():
        raise NotARunError(f"{path}: no such file")
    if path.is_dir():
        raise NotARunError(f"{path}: a directory, not a run's file")
    try:
        with open_run_file(path) as f:
            program = attribute_value(f.attrs.get("program", ""))
            if program != "flywheel" or "tick" not in f or "status" not in f.attrs:
                raise NotARunError(f"{path}: an HDF5 file, but not a flywheel output (no root attribute "
                                   "program = 'flywheel', status, and tick dimension)")
    except OSError as error:
        raise NotARunError(f"{path}: not a flywheel output (not an HDF5 file that can be read: {error})") from None


def available_panels(names):
    """The panels whose series (or the series they derive from) are among `names`, as dicts for the page."""
    return [{"name": name, "title": title, "unit": unit, "limit": _LIMITS.get(name)} for name, title, unit in PANELS
            if all(source in names for source in _DERIVED.get(name, (name,)))]


def read_update(path, start):
    """What the file holds from tick index `start` on: its header, status, and each panel's values.

    Opened afresh each time (as a SWMR reader): an open reader does not see `status` change, and a
    file replaced by a new run is seen as such (its `start_time` changes). Values are lists per
    platform; missing values (NaN) are None, as JSON has no NaN.
    """
    with open_run_file(path) as f:
        ticks = f["tick"].shape[0]  # before the series: each holds at least as many rows
        attrs = {k: attribute_value(f.attrs[k]) for k in ("status", "scenario", "seed", "start_time")
                 if k in f.attrs}
        platforms = list(f["platform"].asstr()[:]) if "platform" in f else []
        planned = parse_config(attribute_value(f.attrs.get("config", ""))).get("ticks")
        start = max(0, min(start, ticks))
        panels = available_panels(set(f.keys()))
        series = {panel["name"]: _read_panel(f, panel["name"], start, ticks) for panel in panels}
        tick_values = f["tick"][start:ticks]
    return {
        "status": attrs.get("status", "unknown"), "scenario": attrs.get("scenario", ""),
        "seed": attrs.get("seed"), "start_time": attrs.get("start_time", ""),
        "platforms": platforms, "ticks_written": int(ticks), "ticks_planned": planned,
        "panels": panels, "from": start, "ticks": tick_values.tolist(), "series": series,
    }


def _read_panel(f, name, start, stop):
    """One panel's values at tick indices [start, stop) as a list per platform."""
    if name == "operating_margin":
        values = _trailing_margin(f, start, stop)
    else:
        values = f[name][start:stop]
        if values.ndim == 1:
            values = values[:, None]
        if unit_of(name) == "%":
            values = values * 100.0
    return [_json_list(values[:, p]) for p in range(values.shape[1])]


def _trailing_margin(f, start, stop):
    """The margin the mechanisms observe (see MARGIN_WINDOW) in percent, clipped to +-MARGIN_LIMIT."""
    first = max(0, start - MARGIN_WINDOW + 1)  # the history the window at `start` reaches back to
    rows = np.arange(start - first, stop - first)
    sums = []
    for name in _DERIVED["operating_margin"]:
        values = f[name][first:stop].astype(float)
        cumulative = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
        sums.append(cumulative[rows + 1] - cumulative[np.maximum(rows + 1 - MARGIN_WINDOW, 0)])
    profit, revenue = sums
    whole = (np.arange(start, stop) >= MARGIN_WINDOW - 1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(whole & (revenue > 0), 100.0 * profit / revenue, np.nan)
    return np.clip(margin, -MARGIN_LIMIT, MARGIN_LIMIT)  # NaN stays NaN


def unit_of(name):
    """The panel's unit ("%" for shares drawn in percent)."""
    return next(unit for panel, _, unit in PANELS if panel == name)


def _json_list(values):
    """A column as a JSON-ready list: NaN and infinities as None."""
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        return [float(v) if np.isfinite(v) else None for v in values]
    return values.tolist()

