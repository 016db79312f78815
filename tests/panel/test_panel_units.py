"""The side panel's TypeScript, tested where it lives (``labextension/``).

GIVEN the panel's sources and node_modules (``./run test`` installs and builds them),
WHEN its own test runner runs (``node --test``), THEN every test passes. The pure
logic (graph elements, neighbourhoods, level of detail, the live back-off, console
links, the layout in Node) is tested there; the TypeScript types of the answers
must be what the JSON Schemas generate today.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

LABEXTENSION = Path(__file__).resolve().parents[2] / "labextension"


def run_npm(script: str) -> str:
    npm = shutil.which("npm")
    assert npm, "npm is needed for the side panel (./run test installs its packages)"
    done = subprocess.run(
        [npm, "run", "--silent", script],
        cwd=LABEXTENSION,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    return output


def counts(output: str) -> tuple[int, int]:
    passed = sum(int(n) for n in re.findall(r"^# pass (\d+)", output, re.M))
    failed = sum(int(n) for n in re.findall(r"^# fail (\d+)", output, re.M))
    return passed, failed


def test_panel_typescript_unit_tests_pass():
    passed, failed = counts(run_npm("test:unit"))
    assert failed == 0
    assert passed >= 55, f"only {passed} TypeScript tests ran"


def test_panel_types_match_the_json_schemas():
    passed, failed = counts(run_npm("test:types"))
    assert (passed, failed) == (1, 0)
