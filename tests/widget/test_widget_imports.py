"""What the widget package pulls in: pure modules need no Jupyter, the view no moto or demo."""

from __future__ import annotations

import pytest
from tests_support import imported_after


@pytest.mark.parametrize(
    "statement",
    [
        "import sagemaker_lineage_ext.widget",
        "import sagemaker_lineage_ext.widget.elements",
        "import sagemaker_lineage_ext.widget.panes",
    ],
)
def test_widget_imports_pure_modules_without_jupyter(statement):
    roots = {m.split(".")[0] for m in imported_after(statement)}
    assert not roots & {"ipywidgets", "ipycytoscape", "IPython", "boto3", "botocore", "moto"}


def test_widget_imports_view_without_moto_demo_or_aws():
    loaded = imported_after("from sagemaker_lineage_ext.widget import LineageWidget; LineageWidget")
    assert "ipycytoscape" in {m.split(".")[0] for m in loaded}
    assert not {m.split(".")[0] for m in loaded} & {"moto", "boto3", "botocore"}
    assert not any(m.startswith("sagemaker_lineage_ext.demo") for m in loaded)
    # of the core, only the pure export ("Copy as Mermaid") and the answer types it reads
    core = {m for m in loaded if m.startswith("sagemaker_lineage_ext.core")}
    assert core <= {
        "sagemaker_lineage_ext.core",
        "sagemaker_lineage_ext.core.export",
        "sagemaker_lineage_ext.core.models",
    }
