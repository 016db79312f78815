#!/usr/bin/env python
"""JupyterLab on the demo account with a second execution of ``large-pipeline-200``, for
``bench_panel.py --compare`` (Compare needs two executions; the demo's 200-step pipeline
has one). The demo account lives in the Jupyter server's own process, so this script
seeds it, adds the execution ``bench_compare.py`` adds, then runs JupyterLab in the same
process with the arguments it was given (those of ``scripts/demo_lab.py``).

    python benchmarks/panel_lab.py --no-browser --port 8899 --LineageExtensionApp.demo=True ...
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def main() -> int:
    from sagemaker_lineage_ext.demo.seed import PIPELINES, REGION

    os.environ.setdefault("DEFAULT_REGION", REGION)
    os.environ["SAGEMAKER_LINEAGE_DEMO"] = "1"
    from bench_compare import seed_extra

    seed_extra(len(PIPELINES))  # seeds the demo account first; no extra pipelines
    from jupyterlab.labapp import main as lab

    return lab(sys.argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
