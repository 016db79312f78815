"""The package a user installs: built as PyPI would get it, and installed beside what
SageMaker Distribution ships.

The sdist and the wheel are built once (``python -m build``, isolated, as a release would).
One fresh venv holding SageMaker Distribution 4.x's Jupyter and AWS packages gets the
wheel, and every check on the installed package runs there.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import readme_renderer.markdown
import tomllib  # Python 3.11+, which CI runs
from tests_support import NOT_IN_CORE, imported_after

import sagemaker_lineage_ext

ROOT = Path(__file__).resolve().parent.parent
VERSION = sagemaker_lineage_ext.__version__
DEMO_INSTALL = "pip install 'sagemaker-lineage-ext[demo]'"

#: What a SageMaker Studio JupyterLab space already has: SageMaker Distribution 4.4.0's
#: versions (also 4.2.5-4.3.3; build_artifacts/v4/v4.4/v4.4.0/cpu.env.out in
#: aws/sagemaker-distribution), less Python itself (3.12.13 there, this machine's here).
SAGEMAKER_DISTRIBUTION = [
    "jupyterlab==4.5.10",
    "jupyter_server==2.20.0",
    "ipywidgets==8.1.8",
    "ipython==8.37.0",
    "traitlets==5.16.1",
    "tornado==6.5.8",
    "boto3==1.43.46",
    "botocore==1.43.46",
    "urllib3==1.26.20",
]

#: All the wheel may add to that: itself and the one dependency the image lacks.
ADDED_BY_THE_WHEEL = {"sagemaker-lineage-ext", "ipycytoscape", "spectate"}


def _run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("timeout", 600)
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, **kwargs
    )


def _ok(out: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert out.returncode == 0, f"{out.args} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


# --- the distributions -------------------------------------------------------------------


@pytest.fixture(scope="session")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The sdist, the wheel built from it (what ``python -m build`` gives), and a wheel
    built straight from the source tree."""
    out = tmp_path_factory.mktemp("dist")
    _ok(_run(sys.executable, "-m", "build", "--outdir", out / "release", ROOT))
    _ok(_run(sys.executable, "-m", "build", "--wheel", "--outdir", out / "direct", ROOT))
    (sdist,) = (out / "release").glob("*.tar.gz")
    (wheel,) = (out / "release").glob("*.whl")
    (direct,) = (out / "direct").glob("*.whl")
    return {"sdist": sdist, "wheel": wheel, "direct_wheel": direct}


def _wheel_metadata(wheel: Path) -> email.message.EmailMessage:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"sagemaker_lineage_ext-{VERSION}.dist-info/METADATA").decode()
    return email.message_from_string(text, policy=email.policy.default)


def test_packaging_twine_check_strict_accepts_both(dists):
    out = _ok(_run(sys.executable, "-m", "twine", "check", "--strict", dists["sdist"],
                   dists["wheel"]))  # fmt: skip
    assert out.stdout.count("PASSED") == 2


def test_packaging_license_is_in_the_sdist_and_the_wheel(dists):
    license_text = (ROOT / "LICENSE").read_text()
    assert "Apache License\n                           Version 2.0, January 2004" in license_text
    assert license_text.startswith("Copyright 2026 The sagemaker-lineage-ext authors\n")
    with tarfile.open(dists["sdist"]) as sdist:
        member = sdist.extractfile(f"sagemaker_lineage_ext-{VERSION}/LICENSE")
        assert member is not None and member.read().decode() == license_text
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        path = f"sagemaker_lineage_ext-{VERSION}.dist-info/licenses/LICENSE"
        assert wheel.read(path).decode() == license_text
    metadata = _wheel_metadata(dists["wheel"])
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["License-File"] == "LICENSE"


def test_packaging_version_is_the_package_version(dists):
    """One version source: ``sagemaker_lineage_ext.__version__`` (hatch reads it)."""
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert _wheel_metadata(dists["wheel"])["Version"] == VERSION
    assert dists["sdist"].name == f"sagemaker_lineage_ext-{VERSION}.tar.gz"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"] == {"path": "sagemaker_lineage_ext/__init__.py"}


def test_packaging_wheel_from_the_sdist_equals_the_direct_wheel(dists):
    """Nothing the wheel needs is missing from the sdist."""
    with zipfile.ZipFile(dists["wheel"]) as a, zipfile.ZipFile(dists["direct_wheel"]) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        different = [name for name in a.namelist() if a.read(name) != b.read(name)]
    assert different == []


def test_packaging_wheel_contents(dists):
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    expected = {
        "sagemaker_lineage_ext/py.typed",
        "sagemaker_lineage_ext/core/schema/lineage-response.schema.json",
        "sagemaker_lineage_ext/core/schema/pipelines-response.schema.json",
        "sagemaker_lineage_ext/demo/definitions/mlops-pipeline.json",
        "sagemaker_lineage_ext/demo/definitions/large-pipeline-200.json",
        # installing the wheel enables the server extension
        f"sagemaker_lineage_ext-{VERSION}.data/data/etc/jupyter/jupyter_server_config.d/"
        "sagemaker_lineage_ext.json",
    }
    assert expected <= names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "scripts/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "sagemaker-lineage = sagemaker_lineage_ext.cli:main"
        in zipfile.ZipFile(dists["wheel"]).read(entry_points).decode()
    )


def test_packaging_base_dependencies_leave_out_the_demo(dists):
    metadata = _wheel_metadata(dists["wheel"])
    requires = [r for r in metadata.get_all("Requires-Dist") if "extra" not in r]
    base = sorted(re.split(r"[<>=!~ ;\[]", r)[0] for r in requires if "python_version" not in r)
    assert base == ["boto3", "ipycytoscape", "ipywidgets", "jupyter-server"]
    # a standard-library backport, for Python 3.10 alone (tomllib from 3.11)
    backports = [r for r in requires if "python_version" in r]
    assert [r.split(";")[0].split(">=")[0] for r in backports] == ["tomli"]
    assert all("python_version < '3.11'" in r for r in backports), backports
    demo = [r for r in metadata.get_all("Requires-Dist") if "extra == 'demo'" in r]
    assert any(r.startswith("moto[s3]") for r in demo) and any(
        r.startswith("jupyterlab") for r in demo
    )


def test_packaging_pypi_description_renders_with_no_repository_paths(dists):
    """PyPI shows the README alone: its images and links to repository files would be
    broken there, so the description has their text; links to headings stay and land."""
    metadata = _wheel_metadata(dists["wheel"])
    assert metadata["Description-Content-Type"] == "text/markdown"
    description = metadata.get_content()
    assert description.startswith("# sagemaker-lineage-ext\n")
    html = readme_renderer.markdown.render(description)  # what PyPI runs
    assert html is not None and "<h2" in html
    for target in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert target.startswith(("https://", "http://", "#user-content-")), target
    anchors = set(re.findall(r'id="(user-content-[^"]+)"', html))
    links = set(re.findall(r'href="#(user-content-[^"]+)"', html))
    assert links and links <= anchors, links - anchors
    # the README keeps its links for readers of the repository
    assert "](docs/images/" in (ROOT / "README.md").read_text()


# --- installed beside SageMaker Distribution ---------------------------------------------


def _clean_env(venv: Path, **extra: str) -> dict[str, str]:
    """This environment with ``venv`` first on PATH and no trace of the test venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("JUPYTER")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_ROOT_USER_ACTION"] = "ignore"  # CI runs as root
    return {**env, **extra}


def _pip_list(venv: Path, env: dict[str, str]) -> dict[str, str]:
    out = _ok(_run(venv / "bin" / "python", "-m", "pip", "list", "--format", "json", env=env))
    return {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(out.stdout)}


@pytest.fixture(scope="module")
def studio(dists, tmp_path_factory) -> dict:
    """A fresh venv with SageMaker Distribution's packages, then the wheel installed into it
    with plain ``pip install`` (pip's own configuration: the local mirrors)."""
    base = tmp_path_factory.mktemp("studio")
    venv = base / "venv"
    _ok(_run(sys.executable, "-m", "venv", venv))
    env = _clean_env(venv, JUPYTER_CONFIG_DIR=str(base / "jupyter-config"),
                     IPYTHONDIR=str(base / "ipython"))  # fmt: skip
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    _ok(_run(*pip, "--upgrade", "pip", env=env))
    _ok(_run(*pip, *SAGEMAKER_DISTRIBUTION, env=env))
    before = _pip_list(venv, env)
    installed = _ok(_run(*pip, dists["wheel"], env=env))
    return {"venv": venv, "env": env, "before": before, "after": _pip_list(venv, env),
            "home": base, "install": installed}  # fmt: skip


def test_packaging_install_changes_nothing_sagemaker_distribution_ships(studio):
    before, after = studio["before"], studio["after"]
    assert before["jupyterlab"] == "4.5.10" and before["jupyter-server"] == "2.20.0"
    changed = {name: (v, after.get(name)) for name, v in before.items() if after.get(name) != v}
    assert changed == {}, "upgraded, downgraded or removed"
    assert set(after) - set(before) == ADDED_BY_THE_WHEEL
    assert after["sagemaker-lineage-ext"] == VERSION
    assert "moto" not in after and "pandas" not in after


def test_packaging_installed_pip_check_is_clean(studio):
    out = _ok(_run(studio["venv"] / "bin" / "python", "-m", "pip", "check", env=studio["env"]))
    assert "No broken requirements found" in out.stdout


def test_packaging_installed_server_extension_is_enabled(studio):
    """Installing the wheel enables the extension (its config file in the venv's
    etc/jupyter), and the extension loads: jupyter validates each one it lists."""
    out = _ok(_run(studio["venv"] / "bin" / "jupyter", "server", "extension", "list",
                   env=studio["env"]))  # fmt: skip
    # jupyter prints the listing to stderr, "enabled" and "OK" in colour
    listing = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)
    section = listing[listing.index(f"Config dir: {studio['venv'] / 'etc' / 'jupyter'}") :]
    assert re.search(r"^\s*sagemaker_lineage_ext enabled\s*$", section, re.M), listing
    assert re.search(rf"^\s*sagemaker_lineage_ext {re.escape(VERSION)} OK\s*$", section, re.M)


@pytest.mark.parametrize(
    "statement",
    ["import sagemaker_lineage_ext.core", "from sagemaker_lineage_ext.core import LineageService"],
)
def test_packaging_installed_core_imports_no_jupyter_widgets_or_moto(studio, statement):
    loaded = imported_after(statement, python=str(studio["venv"] / "bin" / "python"))
    assert "sagemaker_lineage_ext.core" in loaded
    assert {name.split(".")[0] for name in loaded} & set(NOT_IN_CORE) == set()


def _without_aws(studio: dict, **extra: str) -> dict[str, str]:
    """No AWS credentials anywhere boto3 looks (and no demo variable)."""
    home = studio["home"]
    (home / "empty").write_text("")
    env = {
        k: v
        for k, v in studio["env"].items()
        if not k.startswith("AWS_") and k != "SAGEMAKER_LINEAGE_DEMO"
    }
    return {**env, "AWS_CONFIG_FILE": str(home / "empty"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "empty"),
            "AWS_EC2_METADATA_DISABLED": "true", **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (
            ["list"],
            {},
            "no AWS credentials found; configure AWS credentials (aws configure, AWS_PROFILE, "
            f"or a role), or install the demo account: {DEMO_INSTALL}",
        ),
        (["list", "--demo"], {}, f"the embedded demo account is not installed: {DEMO_INSTALL}"),
        (
            ["list"],
            {"SAGEMAKER_LINEAGE_DEMO": "1"},
            f"the embedded demo account is not installed: {DEMO_INSTALL}",
        ),
    ],
    ids=["no-credentials", "--demo", "SAGEMAKER_LINEAGE_DEMO"],
)
def test_packaging_installed_cli_without_demo_says_how_in_one_line(studio, argv, env, message):
    out = _run(studio["venv"] / "bin" / "sagemaker-lineage", *argv,
               env=_without_aws(studio, **env), timeout=120)  # fmt: skip
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr == f"sagemaker-lineage: {message}\n"


def test_packaging_installed_magic_without_demo_is_one_usage_error(studio):
    script = (
        "import json\n"
        "from IPython.core.error import UsageError\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "shell.extension_manager.load_extension('sagemaker_lineage_ext')\n"
        "errors = {}\n"
        "for line in ('mlops-pipeline', '--list'):\n"
        "    try:\n"
        "        shell.run_line_magic('lineage', line)\n"
        "    except UsageError as exc:\n"
        "        errors[line] = str(exc)\n"
        "print(json.dumps(errors))\n"
    )
    out = _ok(_run(studio["venv"] / "bin" / "python", "-c", script, env=_without_aws(studio),
                   timeout=120))  # fmt: skip
    expected = (
        "no AWS credentials found; configure AWS credentials (aws configure, AWS_PROFILE, "
        f"or a role), or install the demo account: {DEMO_INSTALL}"
    )
    assert json.loads(out.stdout) == {"mlops-pipeline": expected, "--list": expected}
    assert "Traceback" not in out.stderr


# --- the repository ----------------------------------------------------------------------


def test_packaging_git_tracks_nothing_gitignore_excludes():
    out = _ok(_run("git", "ls-files", "-ci", "--exclude-standard", cwd=ROOT))
    assert out.stdout.splitlines() == []
