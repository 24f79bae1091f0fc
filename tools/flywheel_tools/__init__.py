"""Analysis tools for flywheel's HDF5 output: load runs, follow live ones, plot, report, value of data,
sweeps' trade-offs.

Pure Python (h5py, numpy, pandas, xarray, matplotlib, yaml), so
that a run can be read anywhere the file can be copied to.
"""

from .agents import panel, snapshot, snapshot_ticks
from .arrow_plots import arrow_figure, arrow_figures
from .arrows import ARROWS, cross_correlations, leads
from .attribution import attribution_paths, attribution_report, load_attribution, paths_figure, tornado_figure
from .batch import load_runs
from .config import config_changes, differing, flatten, parse_config
from .dashboard import dashboard
from .follow import Follower
from .frames import tidy_frame, wide_frame
from .headlines import headlines
from .load import load_run, read_series, run_config
from .offer_learning import age_standardised_errors, errors_by_offer_age
from .report import write_report
from .simulate import run_scenario
from .sweep import load_sweep, read_index, sweep_status
from .tradeoffs import sweep_outcomes, tradeoff_figure, tradeoff_report, tradeoff_table
from .value_of_data import (cumulative_orders, diminishing_returns, gain_per_order, value_of_data,
                            value_of_data_figure)

__all__ = [
    "ARROWS", "Follower", "age_standardised_errors", "arrow_figure", "arrow_figures", "attribution_paths",
    "attribution_report", "config_changes", "cross_correlations", "cumulative_orders", "dashboard", "differing",
    "diminishing_returns", "errors_by_offer_age", "flatten", "gain_per_order", "headlines", "leads",
    "load_attribution", "load_run", "load_runs", "load_sweep", "panel", "parse_config", "paths_figure",
    "read_index", "read_series", "run_config", "run_scenario", "snapshot", "snapshot_ticks", "sweep_outcomes",
    "sweep_status", "tidy_frame", "tornado_figure", "tradeoff_figure", "tradeoff_report", "tradeoff_table",
    "value_of_data", "value_of_data_figure", "wide_frame", "write_report",
]
