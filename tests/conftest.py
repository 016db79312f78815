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
import referencing

# jp_fetch and a real Jupyter server per test, for the server extension's tests.
pytest_plugins = ("pytest_jupyter.jupyter_server",)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "definitions"
DEMO_DEFINITIONS = ROOT / "sagemaker_lineage_ext" / "demo" / "definitions"
SCHEMAS = ROOT / "sagemaker_lineage_ext" / "core" / "schema"

#: The AWS SDK's own settings that would reach the tests from the machine running them.
AWS_SDK_VARIABLES = (
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
)  # fmt: skip


def isolate_from_the_machines_aws_configuration() -> None:
    """Take the machine's AWS configuration and this project's settings out of the tests.

    The default region follows ``AWS_REGION``, ``AWS_DEFAULT_REGION`` and the profile's
    region, and the demo account's pipelines are in one region: a developer's
    ``~/.aws/config`` or a CI runner's ``AWS_DEFAULT_REGION`` would otherwise send every
    read without a region where the demo has nothing (and real credentials could reach
    real AWS). Tests that need one of these set it themselves (``monkeypatch.setenv``).
    Done at import, so every subprocess a test starts inherits it too.
    """
    from sagemaker_lineage_ext.core.config import SETTINGS

    for name in (*AWS_SDK_VARIABLES, *(s.env for s in SETTINGS if s.env)):
        os.environ.pop(name, None)
    nowhere = str(ROOT / "tests" / "fixtures" / "no-aws-config-here")
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = nowhere
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"  # no instance role either


isolate_from_the_machines_aws_configuration()


def load_definition(name: str) -> dict:
    """A definition the real SageMaker SDK wrote: a test fixture or a demo pipeline."""
    for folder in (FIXTURES, DEMO_DEFINITIONS):
        path = folder / f"{name}.json"
        if path.exists():
            return json.loads(path.read_text("utf-8"))
    raise FileNotFoundError(name)


def load_schema_registry() -> referencing.Registry:
    """Every schema of ``core/schema/`` under its ``$id``: the answer schemas' relative
    ``$ref``s (``defs.schema.json#/$defs/...``) resolve through it, never over the network."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        contents = json.loads(path.read_text("utf-8"))
        jsonschema.Draft202012Validator.check_schema(contents)
        resources.append(referencing.Resource.from_contents(contents))
    return referencing.Registry().with_resources((r.id(), r) for r in resources)


@pytest.fixture(scope="session")
def schema_registry() -> referencing.Registry:
    return load_schema_registry()


def schema_uri(name: str) -> str:
    """The ``$id`` of ``core/schema/<name>`` (``defs.schema.json#/$defs/x`` works too)."""
    file, _, fragment = name.partition("#")
    schema = json.loads((SCHEMAS / file).read_text("utf-8"))
    return schema["$id"] + (f"#{fragment}" if fragment else "")


def _checker(registry: referencing.Registry, name: str) -> Callable[[dict], dict]:
    """Validate an answer (after a JSON round trip) against ``name``; returns the document."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": schema_uri(name)}, registry=registry, format_checker=jsonschema.FormatChecker()
    )

    def check(response: dict) -> dict:
        document = json.loads(json.dumps(response))
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, "\n".join(_explain(e) for e in errors[:5])
        return document

    return check


def _explain(error: jsonschema.ValidationError) -> str:
    """Where and why, down to the branch of an anyOf/oneOf that came closest."""
    while error.context:
        # the branch of the right type went further than a bare "is not of type 'null'"
        closer = [e for e in error.context if e.validator != "type"] or error.context
        error = jsonschema.exceptions.best_match(closer)
    return f"{error.json_path}: {error.message}"


@pytest.fixture(scope="session")
def validate_against(schema_registry) -> Callable[[str, dict], dict]:
    """Check a document against ``core/schema/<name>`` (a file, or ``defs.schema.json#/$defs/x``)."""
    checkers: dict[str, Callable[[dict], dict]] = {}

    def check(name: str, document: dict) -> dict:
        if name not in checkers:
            checkers[name] = _checker(schema_registry, name)
        return checkers[name](document)

    return check


@pytest.fixture(scope="session")
def validate_lineage(schema_registry) -> Callable[[dict], dict]:
    """Check a /lineage answer against lineage-response.schema.json; returns it."""
    return _checker(schema_registry, "lineage-response.schema.json")


@pytest.fixture(scope="session")
def validate_listing(schema_registry) -> Callable[[dict], dict]:
    """Check a /pipelines answer against pipelines-response.schema.json; returns it."""
    return _checker(schema_registry, "pipelines-response.schema.json")


@pytest.fixture(scope="session")
def validate_executions(schema_registry) -> Callable[[dict], dict]:
    """Check an /executions answer against executions-response.schema.json; returns it."""
    return _checker(schema_registry, "executions-response.schema.json")


@pytest.fixture(scope="session")
def validate_error(schema_registry) -> Callable[[int, dict], dict]:
    """Check an error answer: ``(status, body)`` against error-response.schema.json, and
    the body's shape against its status (``requestId`` on a 500, with the IAM action when
    access was denied; only ``message`` on a 400 or 404); returns the body."""
    any_error = _checker(schema_registry, "error-response.schema.json")
    by_status = {
        400: _checker(schema_registry, "defs.schema.json#/$defs/errorBody"),
        404: _checker(schema_registry, "defs.schema.json#/$defs/errorBody"),
        500: _checker(schema_registry, "defs.schema.json#/$defs/internalErrorBody"),
    }
    denied = _checker(schema_registry, "defs.schema.json#/$defs/accessDeniedBody")

    def check(status: int, body: dict) -> dict:
        assert status in by_status, f"{status} is not an error status of the contract"
        if status == 500 and body.get("code") == "AccessDenied":
            return denied(any_error(body))
        return by_status[status](any_error(body))

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
