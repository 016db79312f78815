"""Write the settings tables of docs/api.md and the README from the settings table.

    python scripts/sync_settings_docs.py          # rewrite the tables in place
    python scripts/sync_settings_docs.py --check  # exit 1 if a table is out of date

Each table sits between ``<!-- settings-table: NAME -->`` and ``<!-- /settings-table -->``;
NAME is ``environment``, ``traits`` or ``context`` (``core/config.py``, ``settings_table``).
``tests/unit/test_settings_docs.py`` runs the check.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sagemaker_lineage_ext.core.config import settings_table  # noqa: E402

DOCS = (ROOT / "README.md", ROOT / "docs" / "api.md")
BLOCK = re.compile(
    r"(<!-- settings-table: (?P<name>\w+) -->\n)(?P<body>.*?)(<!-- /settings-table -->)", re.S
)


def synced(text: str) -> str:
    """``text`` with every marked table rendered anew."""
    return BLOCK.sub(lambda m: m.group(1) + settings_table(m["name"]) + m.group(4), text)


def main(argv: list[str]) -> int:
    stale = []
    for path in DOCS:
        text = path.read_text("utf-8")
        if not BLOCK.search(text):
            print(f"{path.relative_to(ROOT)}: no settings table markers", file=sys.stderr)
            return 1
        new = synced(text)
        if new != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(new, "utf-8")
    if stale and "--check" in argv:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"settings tables out of date in {names}: run scripts/sync_settings_docs.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
