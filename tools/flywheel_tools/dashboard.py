"""The flywheel at a glance: one panel per series, platforms as lines."""

from matplotlib.figure import Figure

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


def dashboard(ds, smooth=None, columns=3, panels=None, title=None):
    """A Figure with a panel per series of `panels` (default PANELS) that the run holds, rolling means over
    `smooth` days; `title` goes before the run's name in the figure's title."""
    smooth = smooth or smoothing(ds.sizes["tick"])
    wanted = PANELS if panels is None else panels
    panels = [(name, label) for name, label in wanted if name in ds]
    if not panels:
        raise KeyError(f"none of the series {', '.join(name for name, _ in wanted)} in the run")
    rows = -(-len(panels) // columns)
    fig = Figure(figsize=(5 * columns, 3 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, (name, label) in zip(axes, panels):
        series = ds[name].rolling(tick=smooth, min_periods=1).mean()
        for platform in ds.platform.values:
            ax.plot(ds.tick.values, series.sel(platform=platform).values, label=str(platform), linewidth=1)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("day")
        ax.grid(alpha=0.3)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"{title + ': ' if title else ''}{ds.attrs.get('scenario', 'run')} (seed {ds.attrs.get('seed')}): "
                 f"{smooth}-day rolling means", fontsize=12)
    return fig
