"""One run's file as an in-memory `xarray.Dataset`: all of it (`load_run`) or a few series (`read_series`)."""

import h5netcdf
import h5py
import xarray as xr

from .config import parse_config


def load_run(path, group=None):
    """The run at `path` as a Dataset: coordinates `tick`, `platform`, `category`; root attributes.

    The file is opened as a SWMR reader through h5netcdf, which reads finished,
    interrupted, killed and still-running files alike (a plain open is refused
    while flywheel writes). Everything is loaded and the file closed again, so
    the writer is never held up. `attrs["parsed_config"]` is the `config`
    attribute parsed; `attrs["path"]` is where the run came from. `group`
    reads a snapshot group (`customers`, `sellers`) instead of the series.
    """
    ticks = written_ticks(path)
    with h5netcdf.File(path, "r", libver="latest", swmr=True, decode_vlen_strings=True) as nc:
        store = xr.backends.H5NetCDFStore(nc, group=group)
        ds = xr.open_dataset(store).load()
        root = dict(nc.attrs)
    if group is None:
        ds = ds.isel(tick=slice(0, ticks))
    attrs = {k: _text(v) for k, v in root.items()}
    attrs["parsed_config"] = parse_config(attrs.get("config", ""))
    attrs["path"] = str(path)
    ds.attrs = attrs
    return ds


def read_series(path, names):
    """A run file's series `names` (and `market_<name>` where the file has it) as a small Dataset.

    Read with h5py as a SWMR reader, as `load_run` reads (a file still being
    written, too), but only these series: loading every series of every run
    through xarray would take seconds a file.
    """
    for options in ({"libver": "latest", "swmr": True}, {}):
        try:
            with h5py.File(path, "r", **options) as f:
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
            break
        except OSError:
            if options == {}:
                raise
    return xr.Dataset(data, coords=coords, attrs={"path": str(path)})


def written_ticks(path):
    """Ticks in the file: `tick`'s length, which grows after every series at each flush.

    Read before the series, so that each of them holds at least as many rows;
    h5netcdf pads shorter variables of an unlimited dimension to the longest.
    """
    with h5py.File(path, "r", libver="latest", swmr=True) as f:
        return f["tick"].shape[0]


def _text(value):
    """Attribute values as Python values; fixed-length strings (`status`) come as bytes."""
    if isinstance(value, bytes):
        return value.decode().rstrip("\0")
    return value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value
