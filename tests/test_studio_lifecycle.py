"""The SageMaker Studio lifecycle-configuration script (studio/install-sagemaker-lineage-ext.sh).

GIVEN a space's environment without internet (what SageMaker Distribution ships, no
index to install from) and an S3 prefix holding the wheels, WHEN the script runs as the
lifecycle configuration would, THEN the package and its prebuilt panel are installed
from that prefix alone. ``aws`` is a stand-in that serves the prefix from a folder (no
AWS here); pip is the real one, with every index switched off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "studio" / "install-sagemaker-lineage-ext.sh"


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs
    )
    assert out.returncode == 0, f"{args}:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def test_studio_lifecycle_script_fits_a_lifecycle_configuration():
    text = SCRIPT.read_text()
    assert len(text.encode()) < 16384, "Studio's limit for a lifecycle configuration"
    assert text.startswith("#!/bin/bash\n") and os.access(SCRIPT, os.X_OK)
    _run("bash", "-n", SCRIPT)


def test_studio_lifecycle_script_installs_from_s3_wheels_without_an_index(tmp_path):
    # the space: SageMaker Distribution's packages the wheel depends on
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env["PIP_ROOT_USER_ACTION"] = "ignore"
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    _run(*pip, "jupyter_server==2.20.0", "ipywidgets==8.1.8", "boto3", env=env)
    # the S3 prefix: the wheel (with the built panel) and what the space lacks
    bucket = tmp_path / "bucket" / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", bucket, ROOT)
    _run(sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", bucket,
         "ipycytoscape>=1.3.3,<2", "spectate")  # fmt: skip
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "aws").write_text(
        "#!/bin/bash\n# aws s3 cp --recursive --quiet s3://bucket/wheels/ DEST\n"
        f'src="{tmp_path}/${{5#s3://}}"; cp -r "$src"/. "$6"\n'
    )
    (fake / "aws").chmod(0o755)
    offline = {
        **env,
        "PATH": f"{venv / 'bin'}:{fake}:/usr/bin:/bin",
        "PIP_NO_INDEX": "1",  # no index at all: only the prefix's wheels
        "PIP_CONFIG_FILE": os.devnull,
        "WHEELS_S3_PREFIX": "s3://bucket/wheels/",
    }
    out = _run("bash", SCRIPT, env=offline)
    assert "restart" not in out.stdout + out.stderr, "no JupyterLab was running to restart"
    share = venv / "share" / "jupyter" / "labextensions" / "sagemaker-lineage-ext"
    assert (share / "package.json").exists() and list((share / "static").glob("remoteEntry.*.js"))
    _run(venv / "bin" / "python", "-c", "import sagemaker_lineage_ext.server", env=env)
