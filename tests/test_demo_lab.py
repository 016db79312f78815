"""``./run demo``'s launcher (scripts/demo_lab.py): the environment JupyterLab and its
kernels get, whatever the machine's AWS configuration says."""

from __future__ import annotations

import importlib.util
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
