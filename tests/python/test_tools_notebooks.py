"""tools/notebooks: committed without outputs, and run headless (nbclient) against small runs."""

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import SMALL
from flywheel_tools import panel, snapshot_ticks
from flywheel_tools.arrows import arrow_names

NOTEBOOKS = Path(__file__).resolve().parents[2] / "tools" / "notebooks"
KERNEL = "flywheel-tools-test"


@pytest.fixture(scope="session")
def kernel(tmp_path_factory):
    """A kernelspec for this very interpreter, found through JUPYTER_PATH, so the kernel sees the same packages."""
    spec = tmp_path_factory.mktemp("jupyter") / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "flywheel tools test", "language": "python"}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(spec.parent.parent))
        yield KERNEL


def execute(name, kernel):
    """Runs tools/notebooks/`name` in its own folder; returns the executed notebook."""
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(book, kernel_name=kernel, timeout=180, startup_timeout=120,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return book


def images(book):
    return sum("image/png" in out.get("data", {}) for cell in book.cells for out in cell.get("outputs", []))


@pytest.mark.parametrize("name", ["explore_run.ipynb", "compare_scenarios.ipynb", "agent_distributions.ipynb"])
def test_committed_without_outputs_and_with_a_parameters_cell(name):
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert book.metadata.kernelspec.name == "python3"


def test_explore_run_on_a_small_run(kernel, small_run, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_RUN", str(small_run(ticks=600)))
    book = execute("explore_run.ipynb", kernel)
    assert images(book) >= 2 + len(arrow_names())  # dashboard, 3P share, one per arrow


def test_compare_scenarios_makes_its_small_runs(kernel, flywheel, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_BINARY", str(Path(flywheel).resolve()))
    monkeypatch.setenv("FLYWHEEL_RUNS", str(tmp_path))
    monkeypatch.setenv("FLYWHEEL_TICKS", "300")
    monkeypatch.setenv("FLYWHEEL_SET", " ".join(SMALL))
    monkeypatch.setenv("FLYWHEEL_TIPPING_SEEDS", "1 2")
    book = execute("compare_scenarios.ipynb", kernel)
    made = sorted(p.name for p in tmp_path.glob("*.h5"))
    assert made == ["flywheel.h5", "no-third-party.h5", "reinvest-vs-dividend.h5", "tipping-1.h5", "tipping-2.h5"]
    assert images(book) == 3
    tables = [out for cell in book.cells for out in cell.get("outputs", []) if "text/html" in out.get("data", {})]
    assert any("seed 2" in t["data"]["text/html"] and "leader" in t["data"]["text/html"] for t in tables)


def test_agent_distributions_makes_its_small_run_with_snapshots(kernel, flywheel, tmp_path, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_BINARY", str(Path(flywheel).resolve()))
    monkeypatch.setenv("FLYWHEEL_RUN", str(tmp_path / "agents.h5"))
    book = execute("agent_distributions.ipynb", kernel)
    assert snapshot_ticks(tmp_path / "agents.h5", "sellers")[-1] == 720
    assert panel(tmp_path / "agents.h5").index.get_level_values("tick").nunique() > 1  # a weekly customer panel
    assert images(book) == 4  # prices, survival, members, the panel
    tables = " ".join(out["data"]["text/html"] for cell in book.cells for out in cell.get("outputs", [])
                      if "text/html" in out.get("data", {}))
    for text in ("50%", "3P listings on gamma", "3P sellers: ships itself", "alpha member", "not a member",
                 "membership joined", "trips a day, 4 weeks before (d-1)"):
        assert text in tables, text
