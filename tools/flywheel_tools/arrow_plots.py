"""One figure per arrow of the flywheel: lagged cross-correlations of its pairs of series."""

from matplotlib.figure import Figure

from .arrows import ARROWS, arrow_names, noise_level


def arrow_figure(frame, arrow):
    """Correlation against lag (days) for each pair of `arrow` in `frame` (from cross_correlations); over
    many runs their mean, shaded one standard deviation (`spread`) either side, and the title says how many."""
    pairs = [p for p in ARROWS if p.arrow == arrow]
    fig = Figure(figsize=(5.5 * len(pairs), 3.8), layout="constrained")
    axes = fig.subplots(1, len(pairs), squeeze=False).ravel()
    for ax, pair in zip(axes, pairs):
        data = frame[(frame.cause == pair.cause) & (frame.effect == pair.effect)]
        for platform, lines in data.groupby("platform", sort=False):
            line, = ax.plot(lines.lag_days, lines.correlation, marker="o", markersize=3, label=platform)
            if "spread" in lines:
                ax.fill_between(lines.lag_days, lines.correlation - lines.spread, lines.correlation + lines.spread,
                                color=line.get_color(), alpha=0.2, linewidth=0)
        points = data.points.max() if len(data) else 0
        if points > 0:
            runs = data.runs.max() if "runs" in data else 1
            band = noise_level(points, runs)
            ax.axhspan(-band, band, color="grey", alpha=0.15, label="noise (2/sqrt n)")
        ax.axhline(0, color="black", linewidth=0.5)
        ax.axvline(0, color="black", linewidth=0.5)
        ax.set_title(f"{pair.cause} -> {pair.effect}", fontsize=10)
        ax.set_xlabel("lag, days (> 0: cause leads)")
        ax.set_ylabel("correlation of changes")
        ax.set_ylim(-1, 1)
        ax.grid(alpha=0.3)
        if data.correlation.isna().all():
            ax.text(0.5, 0.5, "no variation to correlate", ha="center", transform=ax.transAxes)
        else:
            ax.legend(fontsize=8)
    runs = f", mean of {frame.runs.max()} runs (band: their standard deviation)" if "runs" in frame else ""
    fig.suptitle(f"arrow {arrow}{runs}", fontsize=12)
    return fig


def arrow_figures(frame):
    """(arrow, Figure) for every arrow."""
    return [(arrow, arrow_figure(frame, arrow)) for arrow in arrow_names()]
