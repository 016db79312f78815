"""Shared fixtures: SDK-generated definitions, the demo account, the response schemas."""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

# jp_fetch and a real Jupyter server per test, for the server extension's tests.
pytest_plugins = ("pytest_jupyter.jupyter_server",)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "definitions"
DEMO_DEFINITIONS = ROOT / "sagemaker_lineage_ext" / "demo" / "definitions"
SCHEMAS = ROOT / "sagemaker_lineage_ext" / "core" / "schema"


def load_definition(name: str) -> dict:
    """A definition the real SageMaker SDK wrote: a test fixture or a demo pipeline."""
    for folder in (FIXTURES, DEMO_DEFINITIONS):
        path = folder / f"{name}.json"
        if path.exists():
            return json.loads(path.read_text("utf-8"))
    raise FileNotFoundError(name)


def _validator(name: str) -> jsonschema.Validator:
    schema = json.loads((SCHEMAS / name).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="session")
def validate_lineage() -> Callable[[dict], dict]:
    """Validate a lineage response (after a JSON round trip) against the schema; returns it."""
    validator = _validator("lineage-response.schema.json")

    def check(response: dict) -> dict:
        document = json.loads(json.dumps(response))
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
        return document

    return check


@pytest.fixture(scope="session")
def validate_listing() -> Callable[[dict], dict]:
    validator = _validator("pipelines-response.schema.json")

    def check(response: dict) -> dict:
        document = json.loads(json.dumps(response))
        errors = list(validator.iter_errors(document))
        assert not errors, "\n".join(e.message for e in errors[:5])
        return document

    return check


@pytest.fixture(scope="session")
def demo_account():
    """The embedded demo account (moto, seeded once per test session)."""
    from sagemaker_lineage_ext.demo.account import DemoAccount

    return DemoAccount.get()


@pytest.fixture
def demo_service(demo_account):
    """A fresh LineageService on the demo account: own gateway, empty caches and call log."""
    from sagemaker_lineage_ext.demo import demo_service as make

    service = make()
    yield service
    service.gateway.close()


@contextlib.contextmanager
def running_demo_lab(root: Path, runtime: Path, *options: str):
    """``scripts/demo_lab.py`` in a subprocess (``options`` are its own, then ``--`` and
    JupyterLab's): yields its base URL, token, file root and environment (its runtime
    dir, so a kernel started with it finds the server)."""
    token = secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "demo_lab.py"), "--no-browser",
         "--port", "0", "--token", token, "--root-dir", str(root), *options],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    url = None
    assert process.stdout is not None
    for line in process.stdout:  # the launcher prints the notebook URL once the server answers
        found = re.search(r"(http://127\.0\.0\.1:\d+/\S*?)lab/tree/\S+\?token=" + token, line)
        if found:
            url = found.group(1)
            break
    if url is None:
        process.kill()
        pytest.fail("scripts/demo_lab.py did not print the notebook URL")
    try:
        yield {"url": url, "token": token, "root": root, "env": env}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def demo_lab(tmp_path_factory):
    """The JupyterLab ``./run demo`` starts, on the demo account, for the whole session."""
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    root = tmp_path_factory.mktemp("lab-root")  # tests may write notebooks here, not in the repo
    with running_demo_lab(root, runtime) as lab:
        yield lab
