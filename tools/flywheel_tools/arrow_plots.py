"""One figure per arrow of the flywheel: lagged cross-correlations of its pairs of series."""

import numpy as np
from matplotlib.figure import Figure

from .arrows import ARROWS, arrow_names


def arrow_figure(frame, arrow):
    """Correlation against lag (days) for each pair of `arrow` in `frame` (from cross_correlations)."""
    pairs = [p for p in ARROWS if p.arrow == arrow]
    fig = Figure(figsize=(5.5 * len(pairs), 3.8), layout="constrained")
    axes = fig.subplots(1, len(pairs), squeeze=False).ravel()
    for ax, pair in zip(axes, pairs):
        data = frame[(frame.cause == pair.cause) & (frame.effect == pair.effect)]
        for platform, lines in data.groupby("platform", sort=False):
            ax.plot(lines.lag_days, lines.correlation, marker="o", markersize=3, label=platform)
        points = data.points.max() if len(data) else 0
        if points > 0:
            band = 2 / np.sqrt(points)
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
    fig.suptitle(f"arrow {arrow}", fontsize=12)
    return fig


def arrow_figures(frame):
    """(arrow, Figure) for every arrow."""
    return [(arrow, arrow_figure(frame, arrow)) for arrow in arrow_names()]
