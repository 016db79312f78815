"""The side panel as a Studio user gets it: built into the wheel, installed without Node.

GIVEN a fresh clone of the repository (only what git tracks), WHEN its wheel is built
(``python -m build --wheel``: npm and jupyter-builder run inside the build) and installed
with plain ``pip`` into a fresh venv holding JupyterLab 4.5.10 (SageMaker Studio's) or
4.6, THEN ``jupyter labextension list`` shows the panel enabled and compatible, and
JupyterLab loads it under Studio's base URL with no "Unsatisfied version" warning from
the panel's shared packages (it was built against 4.5.10's core packages).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

import sagemaker_lineage_ext

ROOT = Path(__file__).resolve().parent.parent
VERSION = sagemaker_lineage_ext.__version__
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LABEXTENSION = "sagemaker-lineage-ext"
SHARED_DATA = (
    f"sagemaker_lineage_ext-{VERSION}.data/data/share/jupyter/labextensions/{LABEXTENSION}"
)
#: The JupyterLab packages the panel shares with JupyterLab (its package.json dependencies).
CORE_PACKAGES = ("@jupyterlab/", "@lumino/")


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("timeout", 900)
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert out.returncode == 0, f"{args} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def _env(venv: Path, home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("JUPYTER")
    }
    return {
        **env,
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "PIP_ROOT_USER_ACTION": "ignore",
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }


@pytest.fixture(scope="module")
def fresh_clone_wheel(tmp_path_factory) -> Path:
    """The wheel of a fresh clone of HEAD: the panel built from scratch (npm ci-like
    install of the committed lock, tsc, jupyter-builder against the committed 4.5.10
    core-package file)."""
    base = tmp_path_factory.mktemp("fresh-clone")
    clone = base / "clone"
    _run("git", "clone", "--quiet", "--no-local", ROOT, clone)
    assert not (clone / "sagemaker_lineage_ext" / "labextension").exists()
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", base / "dist", clone)
    (wheel,) = (base / "dist").glob("*.whl")
    return wheel


def test_panel_packaging_wheel_carries_the_built_panel(fresh_clone_wheel):
    with zipfile.ZipFile(fresh_clone_wheel) as wheel:
        names = set(wheel.namelist())
        package = wheel.read(f"{SHARED_DATA}/package.json").decode()
    assert {
        f"{SHARED_DATA}/package.json",
        f"{SHARED_DATA}/install.json",
        f"{SHARED_DATA}/static/style.js",
    } <= names
    assert any(re.fullmatch(rf"{SHARED_DATA}/static/remoteEntry\.\w+\.js", n) for n in names)
    # one version source: the built extension says the Python package's version
    assert f'"version": "{VERSION}"' in package
    # nothing of the sources or node_modules rides along
    assert not [n for n in names if "node_modules" in n or n.startswith("labextension/")]


@pytest.fixture(scope="module", params=["jupyterlab==4.5.10", "jupyterlab>=4.6,<4.7"])
def lab_venv(request, fresh_clone_wheel, tmp_path_factory) -> dict:
    """A fresh venv with one JupyterLab, then the wheel installed with plain pip: no Node
    is involved (PATH holds only the venv and the system's directories without npm)."""
    home = tmp_path_factory.mktemp("lab-venv")
    venv = home / "venv"
    _run(sys.executable, "-m", "venv", venv)
    env = _env(venv, home)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    _run(*pip, request.param, "moto[s3]>=5,<6", env=env)
    no_node = {**env, "PATH": f"{venv / 'bin'}{os.pathsep}/usr/sbin:/sbin"}
    assert shutil.which("npm", path=no_node["PATH"]) is None
    _run(*pip, fresh_clone_wheel, env=no_node)
    version = _run(venv / "bin" / "python", "-c", "import jupyterlab; print(jupyterlab.__version__)",
                   env=env).stdout.strip()  # fmt: skip
    return {"venv": venv, "env": env, "home": home, "version": version}


def test_panel_packaging_labextension_list_shows_it_enabled_and_ok(lab_venv):
    out = _run(lab_venv["venv"] / "bin" / "jupyter", "labextension", "list", env=lab_venv["env"])
    listing = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)
    line = next((row for row in listing.splitlines() if LABEXTENSION in row), "")
    assert re.search(rf"{LABEXTENSION} v{re.escape(VERSION)} enabled OK", line), listing
    assert "incompatible" not in listing and "outdated" not in listing, listing


UNSATISFIED = re.compile(
    r"Unsatisfied version \S+ from \S+ of shared singleton module (?P<module>\S+) "
    r"\(required (?P<range>[^)]+)\)"
)


def shared_requirements(venv: Path) -> dict[str, str]:
    """The shared modules the installed panel asks JupyterLab for, with their ranges
    (read from its built remoteEntry, as JupyterLab's module federation reads them)."""
    static = venv / "share" / "jupyter" / "labextensions" / LABEXTENSION / "static"
    (entry,) = static.glob("remoteEntry.*.js")
    pairs = re.findall(
        r'shareKey:"([^"]+)",import:[^,]*,requiredVersion:"([^"]+)"', entry.read_text()
    )
    return dict(pairs)


def test_panel_packaging_built_against_jupyterlab_4_5_core_packages(lab_venv):
    """Built with JupyterLab 4.5.10's staging package.json: every JupyterLab package is
    asked for from its 4.5.10 version up (so 4.5.10 and 4.6 both satisfy it)."""
    required = shared_requirements(lab_venv["venv"])
    core = {m: r for m, r in required.items() if m.startswith(CORE_PACKAGES)}
    assert {"@jupyterlab/application", "@jupyterlab/services", "@lumino/widgets"} <= set(core)
    staging = ROOT / "labextension" / "core-packages" / "jupyterlab-4.5.10.package.json"
    resolutions = json.loads(staging.read_text())["resolutions"]
    for module, wanted in core.items():
        assert wanted.lstrip("^~") == resolutions[module].lstrip("^~"), (module, wanted)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _jupyterlab(lab_venv: dict):
    port, token = _free_port(), secrets.token_hex(12)
    command = [
        lab_venv["venv"] / "bin" / "jupyter", "lab", "--no-browser", f"--port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        "--ServerApp.base_url=/jupyterlab/default/", f"--ServerApp.root_dir={lab_venv['home']}",
        "--LabApp.news_url=None", "--LineageExtensionApp.demo=True",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    process = subprocess.Popen(
        [str(c) for c in command], env=lab_venv["env"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/jupyterlab/default/"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, "JupyterLab exited"
            try:
                urllib.request.urlopen(f"{base}api/status?token={token}", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer"
                time.sleep(0.3)
        yield f"{base}lab?reset&token={token}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


async def test_panel_packaging_loads_without_unsatisfied_versions(lab_venv):
    from playwright.async_api import async_playwright

    with _jupyterlab(lab_venv) as url:
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run"],
            )
            page = await browser.new_page()
            console: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            await page.goto(url)
            await page.wait_for_selector("#sagemaker-lineage-sidebar", state="attached")
            await page.click("[data-id='sagemaker-lineage-sidebar']")
            await page.wait_for_selector("#sagemaker-lineage-sidebar li[data-pipeline]")
            await browser.close()
    # The warning names the module and the range required, not who required it: the
    # panel's are the ranges its remoteEntry asks for (other extensions built against
    # another JupyterLab ask for theirs, e.g. jupyterlab_widgets ^4.6.2 on 4.5.10).
    required = shared_requirements(lab_venv["venv"])
    ours = [
        line
        for line in console
        if (found := UNSATISFIED.search(line)) and required.get(found["module"]) == found["range"]
    ]
    others = [line for line in console if "Unsatisfied version" in line and line not in ours]
    print(f"\nJupyterLab {lab_venv['version']}: {len(ours)} 'Unsatisfied version' from the "
          f"panel, {len(others)} from other extensions")  # fmt: skip
    assert ours == []
    assert not [line for line in console if line.startswith("error")], console
