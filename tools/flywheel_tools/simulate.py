"""Running flywheel from Python, for notebooks and tests that need a run they do not have."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def binary():
    """The flywheel executable: $FLYWHEEL_BINARY, else the release build of this checkout."""
    path = Path(os.environ.get("FLYWHEEL_BINARY", ROOT / "build" / "release" / "app" / "flywheel"))
    if not path.is_file():
        raise FileNotFoundError(
            f"no flywheel binary at {path}: build it with `cmake --preset release && "
            "cmake --build --preset release` from the repository root, or set FLYWHEEL_BINARY")
    return path


def run_scenario(config, out, ticks=None, seed=None, sets=(), threads=None, overwrite=True):
    """Runs `config` (a path, or a file name in configs/) to `out`; returns `out` as a Path.

    `sets` are `key=value` overrides, as `flywheel run --set` takes them.
    `overwrite`: replace `out` even when it holds a complete run (flywheel
    refuses that by default; a script that names its file means to rewrite it).
    Raises RuntimeError with flywheel's own message if the run fails.
    """
    config = Path(config)
    if not config.exists():
        config = ROOT / "configs" / config
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [str(binary()), "run", str(config), "-o", str(out)] + (["--overwrite"] if overwrite else [])
    if ticks is not None:
        command += ["--ticks", str(ticks)]
    if seed is not None:
        command += ["--seed", str(seed)]
    if threads is not None:
        command += ["--threads", str(threads)]
    for assignment in sets:
        command += ["--set", assignment]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with status {result.returncode}: {result.stderr.strip()}")
    return out
