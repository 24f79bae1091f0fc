#!/usr/bin/python3
"""Checkpoints across MPI ranks: a run stopped or killed at one rank count and
resumed at others writes the file of the uninterrupted single-process run,
bit for bit (compare_h5.py), and a rank that cannot write ends every rank.

Usage: checkpoint_ranks.py FLYWHEEL MPIRUN CASE CONFIG [run options but --ticks...]
CASE: resume-at-any-rank-count, sigkill, sigterm-to-mpirun, write-error.
Exits 77 (skipped) when the build has no MPI (MPIRUN is "none")."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_h5 import IGNORED_ROOT_ATTRIBUTES, compare  # noqa: E402

TIMEOUT = 240
TICKS = ("--ticks", "120")
LONG = ("--ticks", "100000")  # long enough to be signalled mid-run; never run to its end


class Job:
    def __init__(self, flywheel, mpirun, scenario, work):
        self.flywheel, self.mpirun, self.scenario, self.work = flywheel, mpirun, scenario, work
        # Open MPI's own allocations at exit are not ours to report (as the other mpi tests).
        asan = os.environ.get("ASAN_OPTIONS")
        self.env = dict(os.environ, ASAN_OPTIONS=(asan + ":" if asan else "") + "detect_leaks=0")

    def command(self, ranks, *args):
        """flywheel ARGS in one process (ranks 0: no mpirun) or under mpirun -np RANKS, one thread each."""
        line = [self.flywheel, *map(str, args), "--threads", "1"]
        if ranks == 0:
            return line
        # --oversubscribe: more ranks than cores; --allow-run-as-root: CI containers run as root.
        return [self.mpirun, "--allow-run-as-root", "--oversubscribe", "-np", str(ranks), *line]

    def run(self, ranks, *args, expect=0):
        r = subprocess.run(self.command(ranks, *args), capture_output=True, text=True, timeout=TIMEOUT, env=self.env,
                           cwd=self.work)
        if r.returncode != expect:
            sys.exit(f"{' '.join(map(str, args))} at {ranks} ranks: exit status {r.returncode}, expected {expect}\n"
                     f"{r.stdout}{r.stderr}")
        return r

    def start(self, ranks, *args, env=None):
        """Started, not waited for; `env`: more environment variables."""
        return subprocess.Popen(self.command(ranks, *args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, env=dict(self.env, **(env or {})), cwd=self.work)

    def reference(self, name, *args):
        """The single-process run (of CONFIG's scenario with `args`), uninterrupted up to where it is asked to stop."""
        out = self.work / name
        self.run(0, "run", *self.scenario, *args, "-o", out)
        return out


def assert_identical(a, b, ignored=IGNORED_ROOT_ATTRIBUTES):
    problems = compare_files(a, b, ignored)
    if problems:
        sys.exit(f"{a} and {b} differ:\n" + "\n".join(problems))
    print(f"{a.name} and {b.name}: identical")


def compare_files(a, b, ignored):
    with h5py.File(a, "r") as x, h5py.File(b, "r") as y:
        return compare(x, y, ignored)


def attribute(path, name):
    with h5py.File(path, "r") as f:
        value = f.attrs[name]
    return value.decode() if isinstance(value, bytes) else value


def wait_for_ticks(path, at_least, process):
    """Polls the output as a SWMR reader until it holds `at_least` ticks."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the run ended (status {process.returncode}) before the test could stop it:\n"
                     f"{process.stdout.read()}")
        try:
            with h5py.File(path, "r", libver="latest", swmr=True) as f:
                if f["tick"].shape[0] >= at_least:
                    return
        except (OSError, KeyError):
            pass  # not created yet, or not yet in SWMR mode
        time.sleep(0.05)
    sys.exit(f"{path} did not reach {at_least} ticks")


def resume_at_any_rank_count(job):
    """Stopped at 2 ranks, resumed at 3, in one process and at 2: the uninterrupted file. Branched at 3 ranks."""
    full = job.reference("full.h5", *TICKS)
    out, checkpoint = job.work / "parts.h5", job.work / "parts.checkpoint.h5"
    job.run(2, "run", *job.scenario, *TICKS, "-o", out, "--checkpoint-every", "20", "--stop-after", "30")
    assert attribute(out, "status") == "interrupted" and attribute(checkpoint, "tick") == 30
    # The checkpoint 2 ranks wrote is the one a single process writes (but where each run's output was).
    job.reference("single.h5", *TICKS, "--checkpoint-every", "20", "--stop-after", "30")
    assert_identical(job.work / "single.checkpoint.h5", checkpoint,
                     IGNORED_ROOT_ATTRIBUTES | {"created", "output_path", "checksum"})
    # A branch (with a change) at 3 ranks is the branch one process makes.
    change = ("--set", "platforms.alpha.take_rate=0.2", "--ticks", "60")
    job.run(0, "run", "--from", checkpoint, *change, "-o", job.work / "branch-1.h5")
    job.run(3, "run", "--from", checkpoint, *change, "-o", job.work / "branch-3.h5")
    assert_identical(job.work / "branch-1.h5", job.work / "branch-3.h5")
    job.run(3, "resume", checkpoint, "--stop-after", "55")
    job.run(0, "resume", checkpoint, "--stop-after", "80")
    assert attribute(checkpoint, "tick") == 80
    job.run(2, "resume", checkpoint)
    assert attribute(out, "status") == "complete"
    assert_identical(full, out)


def children(pid):
    """The processes whose parent is `pid` (from /proc: `ps` may not be installed)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])  # after the name: state, then ppid
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def kill_job(process):
    """SIGKILL to the ranks (mpirun's children, each in a process group of its own) and to mpirun."""
    for pid in children(process.pid) + [process.pid]:
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=TIMEOUT)


def sigkill(job):
    """The whole job killed (SIGKILL) after a checkpoint, resumed at 3 ranks."""
    out, checkpoint = job.work / "killed.h5", job.work / "killed.checkpoint.h5"
    process = job.start(2, "run", *job.scenario, *LONG, "-o", out, "--checkpoint-every", "10")
    wait_for_ticks(out, 25, process)
    kill_job(process)
    tick = attribute(checkpoint, "tick")
    assert tick >= 10, tick
    job.run(3, "resume", checkpoint, "--stop-after", tick + 15)
    assert_identical(job.reference("full.h5", *LONG, "--stop-after", tick + 15), out)


def sigterm_to_mpirun(job):
    """Fault 13: SIGTERM to mpirun left the file `running`. It must end `interrupted`, with a checkpoint."""
    out, checkpoint = job.work / "term.h5", job.work / "term.checkpoint.h5"
    # mpirun passes SIGTERM on to the ranks odls_base_sigkill_timeout seconds after it gets it, and SIGKILL as
    # many seconds later (docs/cluster.md): the default 1 s is too short for a stop on a busy machine.
    process = job.start(2, "run", *job.scenario, *LONG, "-o", out,  # no --checkpoint-every: the signal's only
                        env={"OMPI_MCA_odls_base_sigkill_timeout": "5"})
    wait_for_ticks(out, 20, process)
    process.send_signal(signal.SIGTERM)  # to mpirun alone, as a user or a batch system would
    output, _ = process.communicate(timeout=TIMEOUT)
    assert process.returncode != 0, output
    assert attribute(out, "status") == "interrupted", (attribute(out, "status"), output)
    with h5py.File(out, "r") as f:
        ticks = f["tick"].shape[0]
    assert attribute(checkpoint, "tick") == ticks, (attribute(checkpoint, "tick"), ticks)
    job.run(2, "resume", checkpoint, "--stop-after", ticks + 10)
    assert_identical(job.reference("full.h5", *LONG, "--stop-after", ticks + 10), out)


def write_error(job):
    """Rank 0 cannot write the checkpoint (`ulimit -f` on rank 0 only, room for the output's first ticks, not for
    the checkpoint): every rank ends, exit status 1, the output `failed`, no checkpoint or temporary file."""
    out = job.work / "o.h5"
    limited = ["sh", "-c", 'if [ "$OMPI_COMM_WORLD_RANK" = 0 ]; then ulimit -f 400; fi; exec "$@"', "sh"]
    # TCP between the ranks: the shared-memory transport's files would hit the limit too.
    r = subprocess.run([job.mpirun, "--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp", "-np", "2",
                        *limited, job.flywheel, "run", *job.scenario, *TICKS, "--set", "output.snapshot_interval=0",
                        "--set", "output.sample.every=0",
                        "-o", out, "--checkpoint-every", "10", "--threads", "1"], capture_output=True, text=True, timeout=TIMEOUT, env=job.env)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "cannot write the checkpoint" in r.stderr, r.stderr
    assert [p.name for p in job.work.iterdir()] == ["o.h5"], list(job.work.iterdir())
    assert attribute(out, "status") == "failed"


CASES = {f.__name__.replace("_", "-"): f for f in (resume_at_any_rank_count, sigkill, sigterm_to_mpirun, write_error)}


def main():
    flywheel, mpirun, case, *scenario = sys.argv[1:]
    if mpirun in ("none", ""):
        print("built without MPI: skipped")
        return 77
    work = Path(tempfile.mkdtemp(prefix="flywheel_mpi_checkpoint_"))
    try:
        CASES[case](Job(flywheel, mpirun, scenario, work))
    finally:
        shutil.rmtree(work)
    print(f"{case}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
