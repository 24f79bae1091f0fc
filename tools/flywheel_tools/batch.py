"""Many runs as one Dataset along a `run` dimension, labelled by their parameters."""

import glob
from pathlib import Path

import numpy as np
import xarray as xr

from .config import differing, flatten
from .load import load_run, run_config


def run_paths(runs):
    """Paths from a list of paths, a glob pattern, or a directory (its *.h5 files), sorted."""
    if isinstance(runs, (str, Path)):
        runs = Path(runs)
        found = sorted(runs.glob("*.h5")) if runs.is_dir() else sorted(Path(p) for p in glob.glob(str(runs)))
    else:
        found = [Path(p) for p in runs]
    if not found:
        raise FileNotFoundError(f"no runs in {runs}")
    return found


def load_runs(runs):
    """The runs as one Dataset with a `run` dimension.

    Coordinates along `run`: `path`, `seed`, `scenario`, and every config
    parameter (dotted key, e.g. `platforms.0.take_rate`) whose value is not
    the same in all runs. Runs of different lengths or platforms are aligned
    on `tick` and `platform`, missing values NaN. Root attributes that
    differ between runs are dropped; those they share are kept.
    """
    datasets = [load_run(p) for p in run_paths(runs)]
    flat = [flatten(run_config(ds)) for ds in datasets]
    labels = {
        "path": [ds.attrs["path"] for ds in datasets],
        "seed": [ds.attrs.get("seed") for ds in datasets],
        "scenario": [ds.attrs.get("scenario") for ds in datasets],
    }
    for key in differing(flat):
        if key not in ("seed", "name"):  # already there, as `seed` and `scenario`
            labels[key] = [c.get(key) for c in flat]
    batch = xr.concat(datasets, dim="run", join="outer", data_vars="all", coords="minimal",
                      compat="override", combine_attrs="drop_conflicts")
    coords = {name: ("run", _column(values)) for name, values in labels.items()}
    return batch.assign_coords(run=np.arange(len(datasets)), **coords)


def _column(values):
    """A coordinate's values: numeric or text when they all are, else objects (None for missing)."""
    array = np.array(values, dtype=object)
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in values):
        return array.astype(float if any(isinstance(v, (float, np.floating)) for v in values) else np.int64)
    if all(isinstance(v, str) for v in values):
        return array.astype(str)
    return array
