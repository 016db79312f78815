"""The settings tables in the README and docs/api.md are rendered from the settings table.

GIVEN core/config.SETTINGS, WHEN scripts/sync_settings_docs.py --check runs, THEN every
marked table in the docs is exactly what the settings table renders (a setting added,
renamed or re-documented without syncing the docs fails here).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sagemaker_lineage_ext.core.config import SETTINGS, settings_table

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "sync_settings_docs.py"


def test_settings_docs_are_in_sync():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_settings_docs_each_table_is_in_the_docs_once():
    readme = (ROOT / "README.md").read_text("utf-8")
    api = (ROOT / "docs" / "api.md").read_text("utf-8")
    assert readme.count("<!-- settings-table: traits -->") == 1
    assert readme.count("<!-- settings-table: context -->") == 1
    assert api.count("<!-- settings-table: environment -->") == 1


def test_settings_docs_every_name_is_in_its_table():
    for table, column in (("environment", "env"), ("traits", "trait"), ("context", "context")):
        rendered = settings_table(table)
        for setting in SETTINGS:
            name = getattr(setting, column)
            if name and not (table == "traits" and setting.scope not in ("core", "server")):
                assert f"`{name}`" in rendered or f"LineageExtensionApp.{name}`" in rendered
