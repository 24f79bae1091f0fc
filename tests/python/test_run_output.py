"""Where `flywheel run` writes, what it refuses, and that threads change nothing written."""

import subprocess

import h5py
import pytest

from conftest import run


def test_default_output_goes_to_out_named_after_the_scenario(flywheel, scenario, tmp_path):
    result = run(flywheel, "run", scenario(name="my run", ticks=5), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "output: out/my_run.h5" in result.stdout
    with h5py.File(tmp_path / "out" / "my_run.h5", "r") as f:
        assert f["tick"].shape == (5,)


def test_output_none_writes_nothing(flywheel, scenario, tmp_path):
    result = run(flywheel, "run", scenario(ticks=5), "-o", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "output: none" in result.stdout
    assert not (tmp_path / "out").exists()


def test_validate_estimates_the_output_files_size(flywheel, scenario, tmp_path):
    config = scenario(ticks=60, categories="true", snapshots=20, panel=6)
    checked = run(flywheel, "validate", config)
    assert checked.returncode == 0, checked.stderr
    line = next(x for x in checked.stdout.splitlines() if x.startswith("output file before compression:"))
    estimate = float(line.split(":")[1].split()[0]) * 2**20
    assert "3 snapshots" in line and "10 panels" in line, line
    out = tmp_path / "run.h5"
    assert run(flywheel, "run", config, "-o", out).returncode == 0
    values = []
    with h5py.File(out, "r") as f:
        f.visititems(lambda name, item: values.append(item.size * item.dtype.itemsize)
                     if isinstance(item, h5py.Dataset) and item.dtype.kind != "O" else None)
    # The values the run wrote; more than estimated where sellers entered after the start.
    assert 0.7 < sum(values) / estimate < 1.5, (sum(values), estimate)


def test_quiet_leaves_stderr_empty_and_still_prints_the_summary(flywheel, scenario, tmp_path):
    loud = run(flywheel, "run", scenario(ticks=5), "-o", "none", "--progress", "lines")
    assert loud.returncode == 0 and "INFO" in loud.stderr.upper(), loud.stderr
    quiet = run(flywheel, "run", scenario(ticks=5), "-o", "none", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert "output: none" in quiet.stdout
    bad = run(flywheel, "run", scenario(ticks=5), "--progress", "fancy")
    assert bad.returncode != 0 and "--progress" in bad.stderr


@pytest.mark.parametrize("target", ["missing-dir/x.h5", "is-a-dir"])
def test_an_unwritable_output_is_refused_before_the_run(flywheel, scenario, tmp_path, target):
    (tmp_path / "is-a-dir").mkdir()
    result = run(flywheel, "run", scenario(ticks=5), "-o", tmp_path / target, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("flywheel: error: cannot create the output file"), result.stderr
    assert "ran '" not in result.stdout
    assert not (tmp_path / "missing-dir").exists() and not (tmp_path / "out").exists()


def test_info_on_something_else_is_one_clear_error(flywheel, tmp_path):
    bogus = tmp_path / "bogus.h5"
    bogus.write_text("not HDF5")
    result = run(flywheel, "info", bogus)
    assert result.returncode == 1
    assert result.stderr.startswith(f"flywheel: error: cannot open '{bogus}' as an HDF5 file")


def test_info_on_an_hdf5_file_of_another_program_refuses_before_printing(flywheel, tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["tick"] = [0, 1]
    result = run(flywheel, "info", other)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"flywheel: error: '{other}' is neither a flywheel output file nor a checkpoint "
        "(it lacks an output file's 'format_version' attribute or 'tick' variable)\n"
    )


def test_output_is_identical_for_one_and_two_threads(flywheel, scenario, tmp_path):
    config = scenario(ticks=30, categories="true", snapshots=7)
    files = []
    for threads in (1, 2):
        out = tmp_path / f"threads{threads}.h5"
        result = run(flywheel, "run", config, "-o", out, "--threads", threads)
        assert result.returncode == 0, result.stderr
        files.append(out)
    # Every dataset and attribute below the root; the root's attributes apart from when and how the run was started.
    diff = subprocess.run(["h5diff", "--exclude-attribute", "/", *map(str, files)], capture_output=True, text=True)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    with h5py.File(files[0], "r") as a, h5py.File(files[1], "r") as b:
        keys = set(a.attrs) - {"start_time", "history"}
        assert keys == set(b.attrs) - {"start_time", "history"}
        for key in keys:
            assert a.attrs[key] == b.attrs[key], key
