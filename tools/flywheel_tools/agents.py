"""Agent data as pandas frames, codes decoded: snapshots (one row per customer, seller or offer at a
tick) and panels (the sample `output.sample` follows, one row per agent per panel tick)."""

import h5py
import numpy as np
import pandas as pd

from .load import is_dimension_only, open_run_file

# Columns holding a platform's index (255: none), shown as its name.
PLATFORM_CODES = {"last_platform", "member_of", "owner", "platform"}
NO_PLATFORM = 255
# Table names and their groups in the file (`offers` there is the series of offers per platform).
GROUPS = {"customers": "customers", "sellers": "sellers", "offers": "listings"}
PANEL_GROUPS = {"customers": "customer_panel", "sellers": "seller_panel", "offers": "listing_panel"}


def snapshot_ticks(path, table="customers"):
    """The ticks at which the run at `path` snapshotted `table`."""
    group = _group(table)
    with open_run_file(path) as f:
        return [int(t) for t in f[group]["snapshot_tick"][:]] if group in f else []


def snapshot(path, tick=None, table="customers"):
    """The snapshot of `table` (customers, sellers or offers) at `tick` (default: the last) as a DataFrame.

    A row per agent: customers indexed by their id, sellers and offers in
    shard order (a seller's `id`, an offer's `seller`, name them across
    snapshots). Platform codes (`last_platform`, `member_of`, `owner`,
    `platform`) become the platforms' names (None for none); a customer's
    `known_platforms` bit mask becomes a column `knows_<name>` per platform;
    a per-platform column becomes one column per platform
    (`satisfaction_<name>`). Raises KeyError when there is no such snapshot.
    """
    name = _group(table)
    with open_run_file(path) as f:
        if name not in f:
            raise KeyError(f"{path} has no {table} snapshots (set output.snapshot_interval)")
        group = f[name]
        ticks = group["snapshot_tick"][:]
        if len(ticks) == 0:
            raise KeyError(f"{path} has no {table} snapshot yet")
        k = len(ticks) - 1 if tick is None else _index(ticks, tick, path, table)
        start, rows = int(group["snapshot_start"][k]), int(group["snapshot_rows"][k])
        columns = _columns(group, start, start + rows, list(f["platform"].asstr()[:]))
    frame = pd.DataFrame(columns)
    frame.index.name = "customer" if table == "customers" else "row"
    frame.attrs = {"tick": int(ticks[k]), "table": table, "path": str(path)}
    return frame


def panel(path, table="customers"):
    """The panel of `table` (customers, sellers or offers) over the run, as one long DataFrame.

    `output.sample` chooses the agents, by hashing their ids, and writes their
    rows every `output.sample.every` ticks: a row per agent per panel tick,
    indexed by (tick, customer) for customers, (tick, id) for sellers and
    (tick, row) for offers (an offer's `seller` names it across ticks).
    Columns are decoded as `snapshot` decodes them. Raises KeyError when the
    run wrote no panel.
    """
    if table not in PANEL_GROUPS:
        raise ValueError(f"table must be one of {', '.join(PANEL_GROUPS)}, not {table!r}")
    with open_run_file(path) as f:
        if PANEL_GROUPS[table] not in f:
            raise KeyError(f"{path} has no {table} panel (set output.sample.every)")
        group = f[PANEL_GROUPS[table]]
        ticks, counts = group["snapshot_tick"][:], group["snapshot_rows"][:]
        rows = int(group["snapshot_start"][-1] + counts[-1]) if len(ticks) else 0
        columns = {"tick": np.repeat(ticks, counts)}
        columns.update(_columns(group, 0, rows, list(f["platform"].asstr()[:])))
    frame = pd.DataFrame(columns)
    if table == "customers":
        frame["customer"] = frame.pop("id").astype(np.int64)  # as a snapshot's index holds it
        frame = frame.set_index(["tick", "customer"])
    elif table == "sellers":
        frame = frame.set_index(["tick", "id"])
    else:
        frame["row"] = frame.groupby("tick").cumcount()
        frame = frame.set_index(["tick", "row"])
    frame.attrs = {"table": table, "path": str(path), "panel": True}
    return frame


def _columns(group, start, stop, platforms):
    """Rows [start, stop) of every column of a snapshot or panel group, decoded."""
    columns = {}
    for name, item in group.items():
        if name.startswith("snapshot_") or not isinstance(item, h5py.Dataset) or is_dimension_only(item):
            continue
        columns.update(_decoded(name, item[start:stop], platforms))
    return columns


def _group(table):
    if table not in GROUPS:
        raise ValueError(f"table must be one of {', '.join(GROUPS)}, not {table!r}")
    return GROUPS[table]


def _index(ticks, tick, path, table):
    found = np.flatnonzero(ticks == tick)
    if not found.size:
        raise KeyError(f"{path} has no {table} snapshot at tick {tick}; it has {', '.join(map(str, ticks))}")
    return int(found[0])


def _decoded(name, values, platforms):
    """A column as one or more frame columns, platform codes and masks as names."""
    if values.ndim == 2:  # per platform
        return {f"{name}_{p}": values[:, i] for i, p in enumerate(platforms)}
    if name in PLATFORM_CODES:
        names = np.array([*platforms, None], dtype=object)
        codes = np.where(values == NO_PLATFORM, len(platforms), values)
        return {name: pd.Categorical(names[codes], categories=platforms)}
    if name == "known_platforms":
        return {f"knows_{p}": (values >> i) & 1 == 1 for i, p in enumerate(platforms)}
    return {name: values}
