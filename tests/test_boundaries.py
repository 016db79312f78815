"""What each layer may import, and that importing creates no AWS client.

The Lambda ships the core alone, so the core must never pull in Jupyter,
tornado, ipywidgets or moto; the pure modules must not even import boto3.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests_support import NOT_IN_CORE, packages_after

PURE = [
    "sagemaker_lineage_ext.core.definition",
    "sagemaker_lineage_ext.core.references",
    "sagemaker_lineage_ext.core.locations",
    "sagemaker_lineage_ext.core.posture",
    "sagemaker_lineage_ext.core.graph",
    "sagemaker_lineage_ext.core.views",
    "sagemaker_lineage_ext.core.models",
    "sagemaker_lineage_ext.core.observe",
    "sagemaker_lineage_ext.core.compare",
    "sagemaker_lineage_ext.core.crosspipeline",
    # the route table: the CDK app builds the API's resources from it
    "sagemaker_lineage_ext.core.routes",
    "sagemaker_lineage_ext.core.request",
    "sagemaker_lineage_ext.core.domain",
    "sagemaker_lineage_ext.core.errors",
    "sagemaker_lineage_ext.core.config",
    # The CDK app imports the IAM action list where boto3 need not be installed.
    "sagemaker_lineage_ext.core.permissions",
    # risk paths, exports, the posture gate and its reports, OpenLineage events
    "sagemaker_lineage_ext.core.risks",
    "sagemaker_lineage_ext.core.export",
    "sagemaker_lineage_ext.core.policy",
    "sagemaker_lineage_ext.core.reports",
    "sagemaker_lineage_ext.core.openlineage",
]
FORBIDDEN_IN_CORE = NOT_IN_CORE


@pytest.mark.parametrize("module", PURE)
def test_boundaries_pure_module_never_imports_aws_sdk(module):
    loaded = packages_after(f"import {module}")
    assert not loaded & {"boto3", "botocore", *FORBIDDEN_IN_CORE}


def test_boundaries_core_imports_no_jupyter_widgets_or_moto():
    loaded = packages_after("from sagemaker_lineage_ext.core import LineageService")
    assert "boto3" in loaded
    assert not loaded & set(FORBIDDEN_IN_CORE)


def test_boundaries_package_root_is_light():
    loaded = packages_after("import sagemaker_lineage_ext")
    assert not loaded & {"boto3", "botocore", *FORBIDDEN_IN_CORE}


def test_boundaries_server_extension_imports_no_widgets_or_moto():
    # the server answers JSON: widgets are the kernel's business, moto only the demo's
    loaded = packages_after("from sagemaker_lineage_ext.server import LineageExtensionApp")
    assert "jupyter_server" in loaded
    assert not loaded & {"ipywidgets", "ipycytoscape", "moto"}


def test_boundaries_magic_imports_widgets_only_when_displaying():
    loaded = packages_after("from sagemaker_lineage_ext.magic import LineageMagics")
    assert "IPython" in loaded
    assert not loaded & {"ipywidgets", "ipycytoscape", "moto", "jupyter_server"}


def test_boundaries_no_client_created_at_import():
    code = (
        "import botocore.session\n"
        "def refuse(*a, **k): raise SystemExit('client created at import')\n"
        "botocore.session.Session.create_client = refuse\n"
        "import sagemaker_lineage_ext.core, sagemaker_lineage_ext.cli, sagemaker_lineage_ext.demo\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_boundaries_only_aws_module_imports_the_sdk():
    """boto3 and botocore (clients, their errors) are imported by core/aws.py only."""
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parent.parent / "sagemaker_lineage_ext" / "core"
    offenders = []
    for path in core.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            if any(n.split(".")[0] in ("boto3", "botocore") for n in names):
                offenders.append(path.name)
    assert sorted(set(offenders)) == ["aws.py"]


def test_boundaries_openlineage_client_only_when_sending():
    """The core builds OpenLineage events as plain JSON: neither it nor the Lambda (which
    serves /openlineage) imports the OpenLineage client; the kit does, when the CLI sends."""
    for statement in (
        "import sagemaker_lineage_ext.lambda_handler",
        "from sagemaker_lineage_ext.core.service import LineageService",
        "import sagemaker_lineage_ext.cli",
        "import sagemaker_lineage_ext.kit.openlineage",
    ):
        assert not packages_after(statement) & {"openlineage", "attr"}, statement
    assert "openlineage" in packages_after(
        "from sagemaker_lineage_ext.kit.openlineage import to_run_event; "
        "to_run_event.__globals__['_client']()"
    )
