"""One run's file as an in-memory `xarray.Dataset`: all of it (`load_run`) or a few series (`read_series`)."""

import os

import h5py
import numpy as np
import xarray as xr

from .config import parse_config

# HDF5's and netCDF-4's own bookkeeping attributes, not the variable's.
_INTERNAL_ATTRS = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "DIMENSION_LABELS", "_Netcdf4Dimid",
                   "_Netcdf4Coordinates", "_nc3_strict"}
_DIMENSION_ONLY = b"This is a netCDF dimension but not a netCDF variable"


def load_run(path, group=None):
    """The run at `path` as a Dataset: coordinates `tick`, `platform`, `category`; root attributes.

    Read with h5py as a SWMR reader, which reads finished, interrupted,
    killed and still-running files alike (a plain open is refused while
    flywheel writes), and which is about 20 times faster than xarray's
    h5netcdf engine on a run's file (that engine walks every variable's
    dimension references to size the unlimited `tick`). Everything is loaded
    and the file closed again, so the writer is never held up.
    `run_config(ds)` is the `config` attribute parsed; `attrs["path"]` is
    where the run came from. Every attribute is a netCDF one, so the Dataset
    (or a part of it) can be written with `to_netcdf`. `group` reads a snapshot
    group (`customers`, `sellers`) instead of the series.
    """
    with open_run_file(path) as f:
        ticks = f["tick"].shape[0]  # before the series: each holds at least as many rows
        root = {k: attribute_value(v) for k, v in f.attrs.items()}
        ds = _dataset(f if group is None else f[group], ticks if group is None else None)
    ds.attrs = dict(root)
    ds.attrs["path"] = str(path)
    return with_calendar(ds) if group is None else ds


def with_calendar(ds):
    """With output.start_date the `tick` axis is "days since DATE": adds a `time` coordinate of those dates
    along `tick`, so `ds.swap_dims(tick="time").resample(time="W")` works; other runs are returned as they are."""
    units = ds["tick"].attrs.get("units", "")
    if " since " not in units:
        return ds
    start = np.datetime64(units.split(" since ", 1)[1].strip()[:10], "D")
    return ds.assign_coords(time=("tick", start + ds["tick"].values.astype("timedelta64[D]")))


def run_header(path):
    """What a run's file holds besides its series' values: ticks written, root attributes, variable
    names and platform names (a few small reads: how a sweep's runs are opened lazily)."""
    with open_run_file(path) as f:
        return {
            "ticks": f["tick"].shape[0],
            "attrs": {k: attribute_value(v) for k, v in f.attrs.items()},
            "variables": sorted(f.keys()),
            "platforms": list(f["platform"].asstr()[:]) if "platform" in f else [],
        }


def read_variable(path, name, dims, ticks):
    """One variable's values, its `tick` axis cut to `ticks` rows."""
    with open_run_file(path) as f:
        return f[name][_tick_cut(dims, ticks)]


def run_config(run):
    """The scenario a run was made with (its `config` attribute) as nested dicts and lists.

    `run`: a Dataset (`load_run`) or a run file's path.
    """
    if hasattr(run, "attrs"):
        return parse_config(attribute_value(run.attrs.get("config", "")))
    with open_run_file(run) as f:
        return parse_config(attribute_value(f.attrs.get("config", "")))


def open_run_file(path):
    """The file as a SWMR reader, or plainly when it was not written for SWMR."""
    try:
        return h5py.File(path, "r", libver="latest", swmr=True)
    except OSError:
        return h5py.File(path, "r")


def _dataset(group, ticks):
    """A group's variables as a Dataset, dimensions named by their labels; `tick` cut to `ticks` rows."""
    coords, data = {}, {}
    attached = _attached_dimensions(group)
    for name, item in group.items():
        if not isinstance(item, h5py.Dataset):
            continue
        keys = [k for k in item.attrs.keys() if k not in _INTERNAL_ATTRS]
        if is_dimension_only(item):
            continue
        is_scale = item.attrs.get("CLASS") == b"DIMENSION_SCALE"
        dims = (name,) if is_scale else _dimensions(item, attached.get(item.name, {}))
        values = item.asstr()[()] if h5py.check_string_dtype(item.dtype) else item[_tick_cut(dims, ticks)]
        attrs = {k: attribute_value(item.attrs[k]) for k in keys}
        variable = xr.Variable(dims, np.asarray(values, dtype=object) if values.dtype.kind == "O" else values, attrs)
        (coords if is_scale else data)[name] = variable
    ds = xr.Dataset(data, coords=coords)
    encoded = any(k in v.attrs for v in ds.variables.values() for k in ("_FillValue", "scale_factor", "add_offset"))
    return xr.decode_cf(ds) if encoded else ds


def is_dimension_only(item):
    """Whether a dataset is netCDF-4's marker of a dimension without a variable (`row`, `snapshot`)."""
    return item.attrs.get("CLASS") == b"DIMENSION_SCALE" and bytes(item.attrs["NAME"]).startswith(_DIMENSION_ONLY)


def _tick_cut(dims, ticks):
    """The selection of a variable's first `ticks` rows along `tick` (all of it if `ticks` is None)."""
    return tuple(slice(0, ticks) if d == "tick" and ticks is not None else slice(None) for d in dims)


def _attached_dimensions(group):
    """Per variable of `group` (by its full path), {axis: dimension name}, read once from the REFERENCE_LIST
    of each dimension scale in the group and the root (a variable's own DIMENSION_LIST would cost a
    dereference per variable and axis)."""
    attached = {}
    for holder in {group.name: group, "/": group.file}.values():
        for name, item in holder.items():
            if not isinstance(item, h5py.Dataset) or item.attrs.get("CLASS") != b"DIMENSION_SCALE":
                continue
            if "REFERENCE_LIST" not in item.attrs:
                continue
            for ref, axis in item.attrs["REFERENCE_LIST"]:
                attached.setdefault(h5py.h5r.get_name(ref, group.id).decode(), {})[int(axis)] = name
    return attached


def _dimensions(item, attached):
    """A variable's dimension names: those of the scales attached to it, else older files' labels, else
    phony names."""
    if attached and len(attached) == item.ndim:
        return tuple(attached[axis] for axis in range(item.ndim))
    labels = item.attrs.get("DIMENSION_LABELS")
    if labels is not None and all(labels):
        return tuple(attribute_value(label) for label in labels)
    return tuple(f"phony_dim_{axis}" for axis in range(item.ndim))


def read_series(path, names):
    """A run file's series `names` (and `market_<name>` where the file has it) as a small Dataset.

    Read with h5py as a SWMR reader, as `load_run` reads (a file still being
    written, too), but only these series: loading every series of every run
    through xarray would take seconds a file.
    """
    with open_run_file(path) as f:
        ticks = f["tick"].shape[0]  # before the series: each holds at least as many rows
        coords = {"tick": f["tick"][:ticks]}
        if "platform" in f:
            coords["platform"] = f["platform"].asstr()[:]
        data = {}
        for name in names:
            for key in (f"market_{name}", name):
                if key in f:
                    values = f[key]
                    data[key] = (("tick", "platform")[:values.ndim], values[:ticks])
    return xr.Dataset(data, coords=coords, attrs={"path": str(path)})


def attribute_value(value):
    """Attribute values as Python values; fixed-length strings (`status`) come as bytes."""
    if isinstance(value, bytes):
        return value.decode().rstrip("\0")
    return value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value


def as_run_list(runs):
    """`runs` (one run, as a path or a Dataset, or several) as a non-empty list."""
    if isinstance(runs, (str, os.PathLike, xr.Dataset)):
        return [runs]
    runs = list(runs)
    if not runs:
        raise ValueError("no runs")
    return runs
