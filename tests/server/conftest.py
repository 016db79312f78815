"""Server tests start Jupyter servers in this process: keep their environment changes."""

import pytest


@pytest.fixture(autouse=True)
def _restore_demo_variable(monkeypatch):
    # a server started with demo=True sets SAGEMAKER_LINEAGE_DEMO=1 for its kernels;
    # monkeypatch puts the variable back as it was when the test ends
    monkeypatch.delenv("SAGEMAKER_LINEAGE_DEMO", raising=False)
    # ... and the demo account's shared epoch (demo/clock.py)
    monkeypatch.delenv("SAGEMAKER_LINEAGE_DEMO_EPOCH", raising=False)
