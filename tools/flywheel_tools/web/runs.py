"""The runs `explore` makes: one flywheel process at a time in the background, each into its own file;
a new run or a stop ends the one going, and closing ends everything and removes the files."""

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from ..load import run_config
from .levers import LeverError, format_value, scale_overrides
from .panels import read_update

# Seconds a run gets to stop after SIGTERM (it finishes its tick and closes its file) before SIGKILL.
STOP_GRACE = 10


class Run:
    """One run: its process, its file, the seed and the levers' values it was started with."""

    def __init__(self, number, command, path, seed, values, overrides):
        self.id = number
        self.path = path
        self.seed = seed
        self.values = values
        self.overrides = overrides
        self.stopped = False
        self.log = path.with_suffix(".log")
        with open(self.log, "wb") as log:  # flywheel's messages, shown when it fails
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=log)

    def end(self):
        """Stops the process if it is still going: SIGTERM, then SIGKILL after STOP_GRACE seconds."""
        if self.process.poll() is not None:
            return
        self.stopped = True
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def update(self, start):
        """What the page draws of the run from tick index `start` on (read_update's state; no ticks while its
        file is not there yet) with the run's status.

        A process that ended while its file was being read may have finished the file after the read: the
        file then reads `running` though the run completed. It is read again, now that the file is final, so
        that a complete run is never taken for a failed one."""
        before = self.process.poll()
        state = self._read(start)
        code = self.process.poll()
        if before is None and code is not None:
            state = self._read(start)
        state["status"] = self._status(state["status"], code)
        return state

    def _read(self, start):
        if self.path.exists():
            try:
                return read_update(self.path, start)
            except (OSError, KeyError):
                pass  # being created or renamed into place: no ticks yet
        return {"status": None, "ticks_written": 0, "ticks": [], "series": {}, "platforms": [], "panels": []}

    def _status(self, file_status, code):
        """`starting`, `running`, `complete`, `interrupted` or `failed`: the file's status, corrected for a
        process (exit status `code`, None while it runs) that never wrote one or was killed before it could."""
        if file_status is None:  # no file yet
            if code is None:
                return "starting"
            return "interrupted" if self.stopped else "failed"
        if file_status == "running" and code is not None:
            return "interrupted" if self.stopped else "failed"
        return file_status

    def error(self):
        """flywheel's error message when the run failed on its own, else None."""
        code = self.process.poll()
        if code in (None, 0) or self.stopped:
            return None
        text = self.log.read_text(errors="replace").strip() if self.log.exists() else ""
        return "\n".join(text.splitlines()[-5:]) or f"flywheel exited with status {code}"

    def describe(self):
        """What the page shows of the run."""
        return {"id": self.id, "seed": self.seed, "overrides": self.overrides,
                "values": {key: format_value(value) for key, value in self.values.items()},
                "process": "running" if self.process.poll() is None else "ended", "error": self.error()}


class Runs:
    """The runs of one `explore` session. Thread-safe: the server's request threads share it."""

    def __init__(self, binary, config, levers, scale, seed):
        self.binary = str(binary)
        self.seed = seed  # the scenario's
        self.config = str(config)
        self.levers = {lever.key: lever for lever in levers}
        self.scale = scale
        self.directory = Path(tempfile.mkdtemp(prefix="flywheel-explore-"))
        self.runs = []
        self.closed = False
        self._lock = threading.Lock()

    def start(self, seed=None, values=None):
        """Ends the run going and starts one with `seed` (default: the scenario's) and `values` (lever key:
        value; the others keep the scenario's values). Raises LeverError for an unknown lever or a value out
        of its bounds. Returns the Run."""
        seed = self.seed if seed is None else seed
        values = values or {}
        checked = {}
        for key, value in values.items():
            if key not in self.levers:
                raise LeverError(f"{key}: not one of the sliders")
            checked[key] = self.levers[key].check(value)
        values = {key: checked.get(key, lever.value) for key, lever in self.levers.items()}
        overrides = [f"{key}={format_value(value)}" for key, value in values.items()
                     if value != self.levers[key].value]
        with self._lock:
            if self.closed:  # a request that came as the server stopped: start nothing more
                raise LeverError("explore is stopping")
            self._end_current()
            number = len(self.runs) + 1
            path = self.directory / f"run-{number}.h5"
            run = Run(number, self._command(path, seed, overrides), path, seed, values, overrides)
            self.runs.append(run)
            self._remove_old_files()
            return run

    def stop(self):
        """Ends the run going, if any."""
        with self._lock:
            self._end_current()

    def current_and_previous(self):
        """The latest run and the one to compare it with: the latest earlier run that completed, else the
        one just before it (None where there is none)."""
        with self._lock:
            if not self.runs:
                return None, None
            return self.runs[-1], self._previous()

    def get(self, number):
        with self._lock:
            return next((run for run in self.runs if run.id == number), None)

    def close(self):
        """Ends every process and removes the runs' files."""
        with self._lock:
            self.closed = True
            for run in self.runs:
                run.end()
            shutil.rmtree(self.directory, ignore_errors=True)

    def _command(self, path, seed, overrides):
        command = [self.binary, "--log-level", "warn", "run", self.config, "-o", str(path), "--seed", str(seed)]
        if self.scale.get("ticks") is not None:
            command += ["--ticks", str(self.scale["ticks"])]
        if self.scale.get("threads") is not None:
            command += ["--threads", str(self.scale["threads"])]
        for key, value in (self.scale.get("set") or {}).items():
            command += ["--set", _assignment(key, value)]
        for assignment in overrides:
            command += ["--set", assignment]
        return command

    def _previous(self):
        earlier = self.runs[:-1]
        complete = [run for run in earlier if run.process.poll() == 0]
        return (complete or earlier or [None])[-1]

    def _end_current(self):
        if self.runs:
            self.runs[-1].end()

    def _remove_old_files(self):
        """Keeps the files of the runs the page can show (current and previous); removes the others'."""
        keep = (self.runs[-1], self._previous())
        for run in self.runs:
            if run not in keep and run.process.poll() is not None:
                for path in (run.path, run.log):
                    path.unlink(missing_ok=True)


def scaled_scenario(binary, config, scale, bounds=None, source="levers file"):
    """(the scenario as its scaled-down runs resolve it, `scale` with the overrides that its shares make of the
    scenario's own values added to its `set`, those overrides, the scenario at full size). Without shares,
    one probe with `scale.set`.

    With them, the scenario is first resolved at full size (`scale.set` applied: a tick of it), then with
    every override, which also checks that the scaled-down market runs. Raises LeverError."""
    if not any(name in scale for name in ("customers", "categories", "shrink")):
        scenario = resolved_scenario(binary, config, scale)
        return scenario, scale, {}, scenario
    full = resolved_scenario(binary, config, {"set": scale.get("set")})
    computed = scale_overrides(scale, full, bounds, source)
    scaled = {**scale, "set": {**(scale.get("set") or {}), **computed}}
    return resolved_scenario(binary, config, scaled), scaled, computed, full


def resolved_scenario(binary, config, scale):
    """The scenario as flywheel resolves it (defaults filled in, `scale`'s `set` applied), from one tick of it.

    Also checks that the scenario and its scaling run at all. Raises LeverError with flywheel's message.
    """
    with tempfile.TemporaryDirectory(prefix="flywheel-explore-") as directory:
        return _probe(binary, config, scale, Path(directory) / "probe.h5")


def _probe(binary, config, scale, path):
    # Stopped after a tick rather than run for one: the file's config keeps the scenario's own `ticks`.
    command = [str(binary), "--log-level", "warn", "run", str(config), "--stop-after", "1", "--threads", "1",
               "-o", str(path), "--checkpoint", str(path.with_suffix(".checkpoint.h5"))]
    for key, value in (scale.get("set") or {}).items():
        command += ["--set", _assignment(key, value)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise LeverError(f"{config}: flywheel cannot run it: {result.stderr.strip()}")
    return run_config(path)


def _assignment(key, value):
    """A levers file's `scale.set` entry as `--set` takes it (YAML's booleans as flywheel writes them)."""
    return f"{key}={str(value).lower() if isinstance(value, bool) else value}"
