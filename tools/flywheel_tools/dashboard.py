"""The flywheel at a glance: one panel per series, platforms as lines; over many runs (a `run` dimension)
each platform's median over runs with a 5-95% band."""

from matplotlib.figure import Figure
from matplotlib.ticker import EngFormatter

# (series, panel title); the flywheel's quantities in the order of its arrows.
PANELS = [
    ("active_customers", "customers"),
    ("visits", "visits per day"),
    ("conversion", "conversion (orders per visit)"),
    ("sellers_3p", "3P sellers"),
    ("offers", "offers (selection)"),
    ("third_party_unit_share", "3P share of units"),
    ("average_price_paid", "average price paid"),
    ("price_index", "price index (price paid / usual price)"),
    ("take_rate", "take rate"),
    ("delivery_days", "delivery days"),
    ("market_share", "market share of visits"),
    ("ranker_error", "ranker error"),
    ("cash", "cash"),  # the platform's money: in the default scenario every platform's falls below -1 M
    ("operating_profit", "operating profit (a day)"),
]
# The ranker's errors, for the report's panel of the ranker.
RANKER_PANELS = [
    ("ranker_error", "quality error (mean absolute, over offers)"),
    ("taste_error", "taste error (over visits)"),
    ("list_regret", "list regret (utility lost to an oracle's list)"),
]
WELFARE_PANELS = [
    ("consumer_surplus", "consumer surplus (money a day)"),
    ("profit_3p", "3P sellers' profit (a day)"),
    ("profit_1p", "1P retail's profit (a day)"),
    ("operating_profit", "platform's operating profit (a day)"),
    ("welfare", "total welfare (a day)"),
]


def smoothing(ticks):
    """Days in the rolling mean of daily figures: a week for short runs, a month for long ones."""
    return 30 if ticks >= 1000 else 7 if ticks >= 100 else 1


def is_percent(name):
    """Shares and conversion read best in percent."""
    return "share" in name or name == "conversion"


def is_money(var):
    """Money: a `currency` attribute (older files: units "currency")."""
    return "currency" in var.attrs or var.attrs.get("units") == "currency"


def axis_label(name, var):
    """The y-axis label of series `name` from its `units` attribute (UDUNITS: "1" a count or a ratio,
    `d` days, `d-1` per day) and, for money, its `currency` attribute."""
    units = var.attrs.get("units")
    if is_percent(name):
        return "%"
    if is_money(var):
        return "money"
    if units == "1":
        return "count" if var.dtype.kind in "iu" else "ratio"
    return {"currency": "money", "d": "days", "d-1": "per day"}.get(units, units or "")


def dashboard(ds, smooth=None, columns=3, panels=None, title=None):
    """A Figure with a panel per series of `panels` (default PANELS) that the run holds, rolling means over
    `smooth` days; `title` goes before the run's name in the figure's title. Over many runs (a `run`
    dimension) each platform's line is the median over runs and its band holds 5-95% of them."""
    smooth = smooth or smoothing(ds.sizes["tick"])
    wanted = PANELS if panels is None else panels
    panels = [(name, label) for name, label in wanted if name in ds]
    if not panels:
        raise KeyError(f"none of the series {', '.join(name for name, _ in wanted)} in the run")
    rows = -(-len(panels) // columns)
    fig = Figure(figsize=(5 * columns, 3 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, (name, label) in zip(axes, panels):
        draw_panel(ax, ds, name, smooth)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("day")
        ax.set_ylabel(axis_label(name, ds[name]))
        if is_money(ds[name]):
            ax.yaxis.set_major_formatter(EngFormatter())  # 1.5 M, not an offset of 1e6 in the corner
        ax.grid(alpha=0.3)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"{title + ': ' if title else ''}{subject(ds)}: {smooth}-day rolling means", fontsize=12)
    return fig


def draw_panel(ax, ds, name, smooth):
    """Series `name` per platform on `ax`: a line, or over runs the median and a 5-95% band."""
    # Computed first: a lazy batch (dask, a chunk per run) takes no quantile across runs.
    series = ds[name].compute().rolling(tick=smooth, min_periods=1).mean() * (100 if is_percent(name) else 1)
    for platform in ds.platform.values:
        one = series.sel(platform=platform)
        if "run" not in ds.dims:
            ax.plot(ds.tick.values, one.values, label=str(platform), linewidth=1)
            continue
        low, median, high = one.quantile([0.05, 0.5, 0.95], dim="run").values
        line, = ax.plot(ds.tick.values, median, label=str(platform), linewidth=1)
        ax.fill_between(ds.tick.values, low, high, color=line.get_color(), alpha=0.2, linewidth=0)


def subject(ds):
    """What the figure shows: the run's scenario and seed, or how many runs and what their lines are."""
    scenario = ds.attrs.get("scenario", "run")
    if "run" in ds.dims:
        return f"{scenario}, {ds.sizes['run']} runs (line: median; band: 5-95% of runs)"
    return f"{scenario} (seed {ds.attrs.get('seed')})"
