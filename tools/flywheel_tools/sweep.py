"""A sweep's output (`flywheel sweep`): its index, each run's status, its runs as one Dataset."""

from pathlib import Path

import numpy as np
import pandas as pd

from .batch import load_runs
from .load import open_run_file

INDEX_COLUMNS = ("id", "file", "point", "replicate", "seed")
STATUS = "status"  # the column sweep_status adds


def index_path(sweep):
    """The index file of a sweep: `sweep` itself, or `sweep`/index.csv for its output directory."""
    path = Path(sweep)
    return path / "index.csv" if path.is_dir() else path


def read_index(sweep):
    """The sweep's index as a DataFrame, one row per run in plan order.

    Columns `id`, `file` (relative to the index's directory), `point`,
    `replicate`, `seed`, then one per swept parameter (its key path, e.g.
    `platforms.0.take_rate`) holding the value the run was given.
    """
    index = pd.read_csv(index_path(sweep), dtype={"id": str, "file": str})
    missing = [c for c in INDEX_COLUMNS if c not in index.columns]
    if missing:
        raise ValueError(f"{index_path(sweep)} is not a sweep index: no column {', '.join(missing)}")
    return index


def parameters(index):
    """The swept parameters' columns of an index (not its own columns, nor `status`)."""
    return [c for c in index.columns if c not in INDEX_COLUMNS and c != STATUS]


def run_status(path):
    """A run file's `status` attribute ("complete", "interrupted", "running"); "missing" or "unreadable"."""
    path = Path(path)
    if not path.exists():
        return "missing"
    try:
        with open_run_file(path) as f:
            status = f.attrs.get("status", b"unknown")
            return (status.decode() if isinstance(status, bytes) else str(status)).rstrip("\0")
    except OSError:
        return "unreadable"


def sweep_status(sweep):
    """The index with a `status` column: every run's status, read from its file."""
    index = read_index(sweep)
    folder = index_path(sweep).parent
    index["status"] = [run_status(folder / f) for f in index["file"]]
    return index


def load_sweep(sweep, complete_only=True, lazy=False):
    """A sweep's runs as one Dataset along `run`, labelled by the sweep's parameters.

    `sweep` is the output directory or its index.csv. `run` is the run's
    position in the index (stable for a sweep file); coordinates along it:
    `id`, `point`, `replicate`, `seed`, `status`, each swept parameter under
    its key path (the value from the index, as the sweep gave it), and those
    `load_runs` adds (`path`, `scenario`, config keys that differ). Only runs
    whose file is complete, unless `complete_only` is false (then every run
    with a file). `lazy`: series are read when computed (`load_runs`): a
    sweep of hundreds of runs opens in seconds. Raises FileNotFoundError
    when there is none.
    """
    index = sweep_status(sweep)
    folder = index_path(sweep).parent
    keep = index["status"] == "complete" if complete_only else index["status"] != "missing"
    chosen = index[keep]
    if chosen.empty:
        raise FileNotFoundError(f"no {'complete ' if complete_only else ''}runs in {index_path(sweep)}")
    batch = load_runs([folder / f for f in chosen["file"]], lazy=lazy)
    coords = {"id": np.asarray(chosen["id"], dtype=str), STATUS: np.asarray(chosen[STATUS], dtype=str)}
    for column in ("point", "replicate", "seed", *parameters(index)):
        coords[column] = chosen[column].to_numpy()
    # A swept parameter is labelled once, by its key as the sweep gave it: load_runs
    # also labels it by its config key (`platforms.0.x` for `platforms.alpha.x`).
    swept = [coords[c] for c in parameters(index)]
    batch = batch.drop_vars([name for name, c in batch.coords.items() if name not in coords and c.dims == ("run",)
                             and name not in ("path", "scenario") and _same_as_any(c.values, swept)])
    batch = batch.assign_coords(run=chosen.index.to_numpy(np.int64), **{k: ("run", v) for k, v in coords.items()})
    batch.attrs["sweep_index"] = str(index_path(sweep))
    batch.attrs["sweep_parameters"] = parameters(index)
    return batch


def _same_as_any(values, columns):
    """Whether `values` equal one of `columns`, element by element (as numbers where both are)."""
    for column in columns:
        try:
            if np.allclose(np.asarray(values, dtype=float), np.asarray(column, dtype=float)):
                return True
        except (TypeError, ValueError):
            if [str(v) for v in values] == [str(v) for v in column]:
                return True
    return False
