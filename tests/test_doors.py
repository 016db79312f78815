"""Every front door serves every route of the route table, says "demo" when it reads the
demo account, names the region, and words a mistake in its own option names.

GIVEN the route table (core/routes.py) and the embedded demo account, WHEN each door
(the Lambda handler, the local API, the CLI, the magic; the Jupyter server in
tests/server) is asked every route, THEN each answers 200 with ``"demo": true`` and
the region, and a bad ``limit`` is named as that door names it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "serverless"))
from serverless_support import LambdaContext, proxy_event  # noqa: E402

from sagemaker_lineage_ext.cli import run  # noqa: E402
from sagemaker_lineage_ext.core.errors import CredentialsError
from sagemaker_lineage_ext.core.http import answer_query
from sagemaker_lineage_ext.core.routes import ROUTES
from sagemaker_lineage_ext.core.service import LineageService
from sagemaker_lineage_ext.demo import demo_gateway, demo_service
from sagemaker_lineage_ext.kit import account as account_module
from sagemaker_lineage_ext.kit.account import Account
from sagemaker_lineage_ext.lambda_handler import build_handler
from sagemaker_lineage_ext.local_api import make_server

#: One valid query per route (HTTP names).
QUERIES = {
    "lineage": {"pipeline": "mlops-pipeline"},
    "pipelines": {"prefix": "mlops"},
    "executions": {"pipeline": "mlops-pipeline", "limit": "2"},
    "openlineage": {"pipeline": "mlops-pipeline"},
    "check": {"pipeline": "mlops-pipeline", "allowUnknown": "true"},
    "compare": {"pipeline": "mlops-pipeline"},
    "artifact": {"uri": "s3://my-mlops-dev2-v2-main-data/features/customers"},
    "export": {"pipeline": "mlops-pipeline", "format": "mermaid"},
}


def region_of(route: str, body: dict) -> str:
    return (
        body["pipeline"]["region"] if route in ("lineage", "compare", "check") else body["region"]
    )


def test_doors_route_table_has_a_query_here_for_every_route():
    assert set(QUERIES) == set(ROUTES), "a new route needs a door test"


@pytest.fixture
def service(demo_account):
    service = demo_service()
    yield service
    service.gateway.close()


@pytest.mark.parametrize("route", sorted(QUERIES))
def test_doors_lambda_serves_every_route_with_the_demo_marker(service, route, validate_against):
    event = proxy_event("lineage-get.json", QUERIES[route], resource=f"/{route}", path=f"/{route}")
    response = build_handler(lambda: service)(event, LambdaContext())
    body = json.loads(response["body"])
    assert response["statusCode"] == 200, body
    validate_against(ROUTES[route].schema, body)  # /executions included
    assert body["demo"] is True and region_of(route, body) == "ap-northeast-2"


@pytest.mark.parametrize("route", sorted(QUERIES))
def test_doors_local_api_serves_every_route(service, route):
    server = make_server(build_handler(lambda: service), port=0)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        query = "&".join(f"{k}={v}" for k, v in QUERIES[route].items())
        url = f"http://127.0.0.1:{server.server_port}/prod/{route}?{query}"
        with urllib.request.urlopen(url, timeout=60) as response:
            body = json.loads(response.read())
    finally:
        server.shutdown()
        server.server_close()
    assert body["demo"] is True and region_of(route, body) == "ap-northeast-2"


@pytest.mark.parametrize(("command", "route"), [("dump", "lineage"), ("list", "pipelines"),
                                                ("executions", "executions"),
                                                ("compare", "compare"), ("artifact", "artifact"),
                                                ("openlineage", "openlineage"),
                                                ("check", "check")])  # fmt: skip
def test_doors_cli_serves_every_route(demo_account, capsys, command, route):
    flags = {"pipeline": "--pipeline-name", "prefix": "--prefix", "limit": "--limit", "uri": None,
             "allowUnknown": "--allow-unknown"}  # fmt: skip
    argv = [command, "--demo", "--compact"] + (["--format", "json"] if command == "check" else [])
    for name, value in QUERIES[route].items():
        if name == "allowUnknown":
            argv += [flags[name]]
        else:
            argv += [flags[name], value] if flags[name] else [value]
    # the gate fails on the demo's default bucket: check exits 1 with its answer
    assert run(argv) == (1 if command == "check" else 0)
    body = json.loads(capsys.readouterr().out)
    assert body["demo"] is True and region_of(route, body) == "ap-northeast-2"


def test_doors_real_account_answers_carry_no_demo_marker(demo_account):
    """A service that is not the demo account's (here: moto behind a non-demo service)."""
    real = LineageService(gateway=demo_gateway())
    try:
        outcome = answer_query(real, "lineage", QUERIES["lineage"], request_id="r")
    finally:
        real.gateway.close()
    assert outcome.status == 200 and "demo" not in outcome.body


@pytest.mark.parametrize(
    ("door", "message"),
    [
        ("http", "limit must be a whole number from 1 to 100"),
        ("cli", "--limit must be a whole number from 1 to 100"),
        ("magic", "--limit must be a whole number from 1 to 100"),
    ],
)
def test_doors_a_mistake_names_the_option_as_the_door_spells_it(service, door, message):
    from sagemaker_lineage_ext.core.http import explain
    from sagemaker_lineage_ext.core.request import spelling

    outcome = answer_query(service, "executions", {"pipeline": "a", "limit": "0"}, request_id="r")
    assert outcome.status == 400
    assert explain(outcome, spelling(door)) == message


def test_doors_cli_region_follows_aws_region():
    """Done-when of issue 8: AWS_REGION=eu-west-1 sagemaker-lineage list --demo reports it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEFAULT_REGION", "AWS_DEFAULT_REGION")}
    out = subprocess.run(
        [sys.executable, "-m", "sagemaker_lineage_ext.cli", "list", "--demo", "--compact"],
        capture_output=True, text=True, timeout=120, env={**env, "AWS_REGION": "eu-west-1"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["region"] == "eu-west-1"


def test_doors_no_credentials_and_no_demo_extra_says_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(account_module, "credentials_found", lambda: False)
    monkeypatch.setattr(account_module, "demo_installed", lambda: False)
    monkeypatch.setattr(account_module, "_demo_started", False)
    monkeypatch.delenv("SAGEMAKER_LINEAGE_DEMO", raising=False)
    with pytest.raises(CredentialsError) as caught:
        Account().service()
    assert caught.value.user_message == (
        "no AWS credentials found; configure AWS credentials (aws configure, AWS_PROFILE, or a "
        "role), or install the demo account: pip install 'sagemaker-lineage-ext[demo]'"
    )


def test_doors_forced_demo_without_the_extra_says_to_install_it(monkeypatch):
    monkeypatch.setattr(account_module, "demo_installed", lambda: False)
    monkeypatch.setattr(account_module, "_demo_started", False)
    outcome = answer_query(Account(demo=True), "pipelines", {}, request_id="r1")
    assert outcome.status == 500 and outcome.body == {
        "message": "internal error",
        "requestId": "r1",
    }
    assert "pip install 'sagemaker-lineage-ext[demo]'" in outcome.error.user_message


def test_doors_missing_profile_is_named(tmp_path, monkeypatch):
    """AWS_PROFILE names a profile the config files do not have: the error names it."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_PROFILE", "team-ml")
    monkeypatch.setattr(account_module, "_demo_started", False)
    outcome = answer_query(Account(demo=False), "pipelines", {}, request_id="r")
    assert outcome.status == 500
    assert "the AWS profile 'team-ml' (AWS_PROFILE) is not in the AWS config files" in (
        outcome.error.user_message
    )


def test_doors_local_api_404_names_no_internals(service):
    server = make_server(build_handler(lambda: service), port=0)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(
                f"http://127.0.0.1:{server.server_port}/prod/nope%3Cscript%3E", timeout=30
            )
    finally:
        server.shutdown()
        server.server_close()
    assert caught.value.code == 404
    body = json.loads(caught.value.read())
    assert body["message"].startswith("no such route: the routes are /lineage")
    assert "script" not in body["message"]


def test_doors_every_route_has_its_answer_schema():
    schemas = Path(__file__).resolve().parent.parent / "sagemaker_lineage_ext" / "core" / "schema"
    for route in ROUTES.values():
        assert (schemas / route.schema).is_file(), route.name


@pytest.mark.parametrize(
    ("route", "params", "door", "message"),
    [
        ("compare", {"pipeline": "mlops-pipeline", "base": "nope"}, "http",
         "base is not a SageMaker pipeline execution ARN"),
        ("compare", {"pipeline": "mlops-pipeline", "base": "nope"}, "cli",
         "--base is not a SageMaker pipeline execution ARN"),
        ("compare", {"pipeline": "mlops-pipeline", "head": "nope"}, "magic",
         "--compare HEAD is not a SageMaker pipeline execution ARN"),
        ("artifact", {"uri": "bucket/key"}, "http", "uri must be an S3 URI or prefix"),
        ("artifact", {"uri": "bucket/key"}, "cli", "URI must be an S3 URI or prefix"),
        ("artifact", {"uri": "bucket/key"}, "magic", "--artifact must be an S3 URI or prefix"),
        ("lineage", {"pipeline": "p", "includeCrossPipeline": "maybe"}, "magic",
         "--cross-pipeline must be true, false, 1 or 0"),
    ],
)  # fmt: skip
def test_doors_new_routes_name_the_option_as_the_door_spells_it(
    service, route, params, door, message
):
    from sagemaker_lineage_ext.core.http import explain
    from sagemaker_lineage_ext.core.request import spelling

    outcome = answer_query(service, route, params, request_id="r")
    assert outcome.status == 400
    assert explain(outcome, spelling(door)).startswith(message)


@pytest.mark.parametrize("variable", ["AWS_DEFAULT_REGION", "AWS_CONFIG_FILE"])
def test_doors_region_rule_is_the_same_for_a_service_built_without_settings(
    tmp_path, monkeypatch, variable
):
    """``LineageService()`` (embedding, benchmarks) resolves the default region as every
    door's Account does: the SDK's region counts, not only the environment variables."""
    profile = tmp_path / "config"
    profile.write_text("[default]\nregion = eu-central-1\n")
    value = "eu-central-1" if variable == "AWS_DEFAULT_REGION" else str(profile)
    monkeypatch.setenv(variable, value)
    service = LineageService()
    try:
        assert service.config.default_region == "eu-central-1"
    finally:
        service.gateway.close()
    assert Account(demo=False).config().default_region == "eu-central-1"


def test_doors_demo_service_from_code_reads_the_demo_region_unless_default_region_says(
    demo_account, monkeypatch
):
    """demo_service() (tests, benchmarks, scripts) reads where the demo's pipelines are,
    whatever region the machine's AWS configuration names; DEFAULT_REGION still decides."""
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    service = demo_service()
    try:
        outcome = answer_query(service, "lineage", QUERIES["lineage"], request_id="r")
    finally:
        service.gateway.close()
    assert outcome.status == 200 and outcome.body["pipeline"]["region"] == "ap-northeast-2"
    monkeypatch.setenv("DEFAULT_REGION", "us-west-2")
    assert demo_service().config.default_region == "us-west-2"
