"""The tests do not depend on the machine's AWS configuration.

GIVEN a machine whose AWS configuration names a region (``AWS_DEFAULT_REGION``, as CI
runners set it, ``AWS_REGION``, a profile's ``region``), WHEN the suite runs, THEN the
demo account's reads without a region still go to the demo's own region.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_environment_machine_aws_configuration_does_not_reach_the_tests(tmp_path):
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-west-2\n")
    env = dict(
        os.environ,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="eu-west-1",
        AWS_CONFIG_FILE=str(config),
        DEFAULT_REGION="sa-east-1",
    )
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_doors.py::test_doors_cli_serves_every_route", "-k", "dump"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:]
    assert "1 passed" in out.stdout
