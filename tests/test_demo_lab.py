"""``./run demo``'s launcher (scripts/demo_lab.py): the environment JupyterLab and its
kernels get, whatever the machine's AWS configuration says."""

from __future__ import annotations

import importlib.util
import json
import socket
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "demo_lab.py"


@pytest.fixture(scope="module")
def demo_lab_module():
    spec = importlib.util.spec_from_file_location("demo_lab", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_lab_environment_reads_the_demo_region_whatever_the_sdk_region(demo_lab_module):
    env = demo_lab_module.lab_environment({"AWS_REGION": "eu-west-1", "PATH": "/bin"})
    assert env["DEFAULT_REGION"] == "ap-northeast-2"
    assert env["SAGEMAKER_LINEAGE_DEMO"] == "1"
    assert env["AWS_REGION"] == "eu-west-1" and env["PATH"] == "/bin"


def test_demo_lab_environment_keeps_a_default_region_the_user_set(demo_lab_module):
    env = demo_lab_module.lab_environment({"DEFAULT_REGION": "us-east-1"})
    assert env["DEFAULT_REGION"] == "us-east-1"


def test_demo_lab_environment_gives_server_and_kernels_one_demo_clock(demo_lab_module):
    from sagemaker_lineage_ext.demo.clock import EPOCH_ENV, parse_epoch

    env = demo_lab_module.lab_environment({"PATH": "/bin"})
    assert parse_epoch(env[EPOCH_ENV]).microsecond % 1000 == 0
    given = {EPOCH_ENV: "2026-11-29T17:00:00.000Z"}
    assert demo_lab_module.lab_environment(given)[EPOCH_ENV] == "2026-11-29T17:00:00.000Z"


def _notebook(sources: list[str], outputs: list[dict] | None = None) -> dict:
    return {
        "cells": [
            {"cell_type": "code", "source": s, "metadata": {}, "execution_count": 3,
             "outputs": outputs or []}
            for s in sources
        ],
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}},
        "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip


STALE_WIDGET = {
    "output_type": "display_data",
    "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "4f2a", "version_major": 2}},
    "metadata": {},
}


@pytest.fixture
def workspace(demo_lab_module, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """(the committed notebooks' folder, holding demo.ipynb; the demo's workspace)."""
    committed = tmp_path / "notebooks"
    committed.mkdir()
    (committed / "demo.ipynb").write_text(json.dumps(_notebook(["%lineage x"])))
    monkeypatch.setattr(demo_lab_module, "NOTEBOOKS", committed)
    root = tmp_path / "workspace"
    root.mkdir()
    return committed, root


def test_demo_lab_second_start_reopens_a_clean_notebook(demo_lab_module, workspace):
    # GIVEN the autosaved copy of a first session: the committed cells, with widget
    # outputs whose models lived only in that session's kernel
    committed, root = workspace
    (root / "demo.ipynb").write_text(json.dumps(_notebook(["%lineage x"], [STALE_WIDGET])))
    # WHEN the demo starts again
    demo_lab_module.prepare_workspace(root)
    # THEN the copy is the committed notebook: no widget view can say "model not found"
    assert (root / "demo.ipynb").read_text() == (committed / "demo.ipynb").read_text()


def test_demo_lab_second_start_keeps_the_users_cells_without_stale_widgets(
    demo_lab_module, workspace
):
    _, root = workspace
    edited = _notebook(["%lineage x", "my own cell"], [STALE_WIDGET])
    (root / "demo.ipynb").write_text(json.dumps(edited))
    demo_lab_module.prepare_workspace(root)
    kept = json.loads((root / "demo.ipynb").read_text())
    assert [c["source"] for c in kept["cells"]] == ["%lineage x", "my own cell"]
    assert all(c["outputs"] == [] for c in kept["cells"])
    assert "widgets" not in kept["metadata"]


def test_demo_lab_port_asked_for_and_taken_is_an_error(demo_lab_module):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit, match=f"port {port} is taken"):
            demo_lab_module.choose_port(port)


def test_demo_lab_default_port_taken_falls_back_and_says_so(demo_lab_module, monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        monkeypatch.setattr(demo_lab_module, "DEFAULT_PORT", busy)
        port, note = demo_lab_module.choose_port(None)
    assert port != busy
    assert note == f"port {busy} is taken: serving on port {port} (--port N picks one)"
    assert demo_lab_module.choose_port(0)[1] is None  # any free port: nothing to say
