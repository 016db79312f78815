"""What a deployer installs: the CDK CLI 2.x from package.json, the app's Python pins."""

from __future__ import annotations

import json

import pytest
from serverless_support import ROOT, SERVERLESS

tomllib = pytest.importorskip("tomllib")  # Python 3.11+, which CI runs


def test_packaging_cdk_cli_is_pinned_to_major_2():
    """aws-cdk 3.0.0 is deprecated and refuses aws-cdk-lib 2.x cloud assemblies."""
    package = json.loads((SERVERLESS / "package.json").read_text())
    assert package["devDependencies"]["aws-cdk"].startswith("^2.")
    lock = json.loads((SERVERLESS / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/aws-cdk"]["version"].startswith("2.")


def test_packaging_lock_file_records_no_download_addresses():
    lock = json.loads((SERVERLESS / "package-lock.json").read_text())
    assert all("resolved" not in entry for entry in lock["packages"].values())


def test_packaging_requirements_match_the_serverless_extra():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["serverless"]
    lines = (SERVERLESS / "requirements.txt").read_text().splitlines()
    pins = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert pins == extra


def test_packaging_cdk_json_runs_the_app_and_documents_every_option():
    from stacks.lineage_api_stack import LineageApiStack

    cdk_json = json.loads((SERVERLESS / "cdk.json").read_text())
    assert cdk_json["app"] == "python3 app.py"
    assert sorted(cdk_json["context"]) == sorted(LineageApiStack.CONTEXT_NAMES)
