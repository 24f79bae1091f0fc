"""Following a run while flywheel writes it: new ticks as they are flushed."""

import time
from typing import NamedTuple

import h5py


class Tick(NamedTuple):
    """One new tick: its number and the values of the followed series (per platform, or a scalar)."""

    tick: int
    values: dict


class Follower:
    """Iterates over a run's ticks as they appear, and stops when the run has ended.

    The file is held open as a SWMR reader; each poll refreshes `tick` and
    reads up to its length (every series is flushed before `tick` grows).
    When no new tick has come, the file is reopened to read the `status`
    attribute (an open reader does not see it change), and once it is no
    longer `running` the last ticks are read and iteration stops. A killed run's
    file says `running` for ever: `idle_timeout` (seconds without a new
    tick) ends the iteration then.

        for t in Follower("out/flywheel.h5", ["orders", "market_share"]):
            print(t.tick, t.values["orders"])
    """

    def __init__(self, path, variables=("active_customers", "orders"), interval=0.5, idle_timeout=None):
        self.path = path
        self.variables = list(variables)
        self.interval = interval
        self.idle_timeout = idle_timeout
        self.seen = 0
        self.status = None

    def __iter__(self):
        file = self._open()
        try:
            idle_since = time.monotonic()
            while True:
                batch = self._read_new(file)
                if batch:
                    idle_since = time.monotonic()
                    yield from batch
                    continue
                # Attributes are cached while this process holds the file open: reopen to see `status`.
                file.close()
                file = self._open()
                self.status = _text(file.attrs["status"])
                if self.status != "running":
                    yield from self._read_new(file)
                    return
                if self.idle_timeout is not None and time.monotonic() - idle_since > self.idle_timeout:
                    return
                time.sleep(self.interval)
        finally:
            file.close()

    def _open(self):
        """Opens the file as a SWMR reader, waiting while flywheel creates it."""
        deadline = time.monotonic() + (self.idle_timeout or 60.0)
        while True:
            try:
                return h5py.File(self.path, "r", libver="latest", swmr=True)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(self.interval)

    def _read_new(self, file):
        """The ticks past those already yielded, as Tick records."""
        tick = file["tick"]
        tick.refresh()
        n = tick.shape[0]
        if n <= self.seen:
            return []
        columns = {}
        for name in self.variables:
            dataset = file[name]
            dataset.refresh()
            columns[name] = dataset[self.seen:n]
        ticks = tick[self.seen:n]
        self.seen = n
        return [Tick(int(t), {name: column[i] for name, column in columns.items()}) for i, t in enumerate(ticks)]


def _text(status):
    """`status` is a fixed-length string: h5py gives bytes, maybe NUL-padded."""
    return (status.decode() if isinstance(status, bytes) else str(status)).rstrip("\0")
