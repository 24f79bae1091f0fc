"""Analysis tools for flywheel's HDF5 output: load runs, follow live ones, plot, report.

Pure Python (h5py, numpy, pandas, xarray, h5netcdf, matplotlib, yaml), so
that a run can be read anywhere the file can be copied to.
"""

from .arrows import ARROWS, cross_correlations
from .batch import load_runs
from .config import differing, flatten, parse_config
from .follow import Follower
from .frames import tidy_frame, wide_frame
from .load import load_run
from .simulate import run_scenario

__all__ = [
    "ARROWS", "Follower", "cross_correlations", "differing", "flatten", "load_run", "load_runs",
    "parse_config", "run_scenario", "tidy_frame", "wide_frame",
]
