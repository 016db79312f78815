"""The wheel carries what the package needs at run time, and nothing of the repo around it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_packaging_wheel_contents(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("sagemaker_lineage_ext-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "sagemaker_lineage_ext/py.typed",
        "sagemaker_lineage_ext/core/schema/lineage-response.schema.json",
        "sagemaker_lineage_ext/core/schema/pipelines-response.schema.json",
        "sagemaker_lineage_ext/demo/definitions/mlops-pipeline.json",
        "sagemaker_lineage_ext/demo/definitions/large-pipeline-200.json",
        # installing the wheel enables the server extension
        "sagemaker_lineage_ext-0.1.0.data/data/etc/jupyter/jupyter_server_config.d/"
        "sagemaker_lineage_ext.json",
    }
    assert expected <= names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "scripts/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "sagemaker-lineage = sagemaker_lineage_ext.cli:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )
