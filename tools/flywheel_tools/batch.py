"""Many runs as one Dataset along a `run` dimension, labelled by their parameters."""

import glob
from pathlib import Path

import dask.array as da
from dask.base import tokenize
import numpy as np
import xarray as xr

from .config import differing, flatten, parse_config
from .load import load_run, read_variable, run_header


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


def load_runs(runs, lazy=False):
    """The runs as one Dataset with a `run` dimension.

    Coordinates along `run`: `path`, `seed`, `scenario`, and every config
    parameter (dotted key, e.g. `platforms.0.take_rate`) whose value is not
    the same in all runs. Runs of different lengths or platforms are aligned
    on `tick` and `platform`, missing values NaN. Root attributes that
    differ between runs are dropped; those they share are kept.

    `lazy`: the series are dask arrays, read from the files when computed
    (`.compute()`, `.values`, a plot), so that a sweep of hundreds of runs
    opens in seconds; it needs runs of one layout (the same series, ticks
    and platforms, as a sweep's complete runs are) and loads them all
    otherwise.
    """
    paths = run_paths(runs)
    headers = [run_header(p) for p in paths]
    batch = _lazy_batch(paths, headers) if lazy else None
    if batch is None:
        batch = xr.concat([load_run(p) for p in paths], dim="run", join="outer", data_vars="all",
                          coords="minimal", compat="override", combine_attrs="drop_conflicts")
    flat = [flatten(parse_config(h["attrs"].get("config", ""))) for h in headers]
    labels = {
        "path": [str(p) for p in paths],
        "seed": [h["attrs"].get("seed") for h in headers],
        "scenario": [h["attrs"].get("scenario") for h in headers],
    }
    for key in differing(flat):
        if key not in ("seed", "name"):  # already there, as `seed` and `scenario`
            labels[key] = [c.get(key) for c in flat]
    coords = {name: ("run", _column(values)) for name, values in labels.items()}
    return batch.assign_coords(run=np.arange(len(paths)), **coords)


def _lazy_batch(paths, headers):
    """The runs along `run` with every series a dask array of one chunk per run; None unless they share
    the first run's layout (series, ticks, platforms)."""
    layout = [(h["ticks"], h["variables"], h["platforms"]) for h in headers]
    if any(entry != layout[0] for entry in layout):
        return None
    first = load_run(paths[0])
    data = {}
    for name, variable in first.data_vars.items():
        if variable.dtype.kind == "O":
            return None
        # One task per run, written as a graph: dask's from_delayed and stack cost a millisecond a chunk.
        key = f"{name}-{tokenize(name, [str(p) for p in paths], headers[0]['ticks'])}"
        origin = (0,) * variable.ndim
        graph = {(key, 0, *origin): variable.values[np.newaxis]}
        graph.update({(key, i, *origin): (_one_run, p, name, variable.dims, headers[0]["ticks"])
                      for i, p in enumerate(paths[1:], start=1)})
        chunks = ((1,) * len(paths), *((n,) for n in variable.shape))
        data[name] = xr.Variable(("run", *variable.dims), da.Array(graph, key, chunks, dtype=variable.dtype),
                                 variable.attrs)
    shared = {k: v for k, v in first.attrs.items() if k != "path" and all(h["attrs"].get(k) == v for h in headers)}
    return xr.Dataset(data, coords=first.coords, attrs=shared)


def _one_run(path, name, dims, ticks):
    """A run's variable as one chunk along `run`."""
    return read_variable(path, name, dims, ticks)[np.newaxis]


def _column(values):
    """A coordinate's values: numeric or text when they all are, else objects (None for missing)."""
    array = np.array(values, dtype=object)
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in values):
        return array.astype(float if any(isinstance(v, (float, np.floating)) for v in values) else np.int64)
    if all(isinstance(v, str) for v in values):
        return array.astype(str)
    return array
