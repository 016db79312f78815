"""Every notebook in notebooks/ runs top to bottom on the demo account (nbclient).

GIVEN the JupyterLab that ``./run demo`` starts, WHEN a notebook is executed in a
kernel beside it, THEN no cell fails — the REST cells call that server for real.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["lineage_demo.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_run_top_to_bottom(path, demo_lab, monkeypatch, tmp_path):
    for name, value in demo_lab["env"].items():
        monkeypatch.setenv(name, value)  # the kernel inherits the runtime dir: it finds the server
    monkeypatch.setenv("SAGEMAKER_LINEAGE_DEMO", "1")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    texts = "\n".join(
        output.get("text", "") + json.dumps(output.get("data", {}))
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "Traceback" not in texts and "UsageError" not in texts
    if path.name == "lineage_demo.ipynb":
        # the REST cells reached the running server, and the CLI wrote its file
        assert "No running Jupyter server found" not in texts
        assert "200 ['churn-pipeline'" in texts
        assert "(404, {'message': 'pipeline not found or domain filter mismatched'})" in texts
        assert "- Succeeded 7 steps" in texts
        for cell in nb.cells:
            if cell.cell_type != "code" or "%lineage" not in cell.source:
                continue
            widgets = [
                o
                for o in cell.outputs
                if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
            ]
            last = cell.source.strip().splitlines()[-1]
            # a cell that ends in the magic or in a result shows one graph; an assignment none
            draws = last.startswith("%lineage") and not ("--json" in last or "--list" in last
                    or "--executions" in last or "--artifact" in last) or last in (
                    "result", "comparison")  # fmt: skip
            assert len(widgets) == (1 if draws else 0), cell.source
