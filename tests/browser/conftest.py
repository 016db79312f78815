"""The browser tests' JupyterLab for the side panel: ``./run demo``'s, on the demo account,
under SageMaker Studio's base URL. Module scope: each test file gets its own account."""

from __future__ import annotations

import pytest
from conftest import running_demo_lab

STUDIO_BASE_URL = "/jupyterlab/default/"


@pytest.fixture(scope="module")
def studio_lab(tmp_path_factory):
    """JupyterLab on the demo account under Studio's base URL, with its own settings
    (the dark-theme test changes them) and ``window.jupyterapp`` for the tests."""
    root = tmp_path_factory.mktemp("panel-root")
    settings = tmp_path_factory.mktemp("panel-settings")
    runtime = tmp_path_factory.mktemp("panel-runtime")
    with running_demo_lab(
        root, runtime, "--base-url", STUDIO_BASE_URL, "--",
        "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={settings}",
    ) as lab:  # fmt: skip
        assert lab["url"].endswith(STUDIO_BASE_URL)
        yield lab
