"""The Jupyter server extension, through a real Jupyter server and jp_fetch.

GIVEN a Jupyter server with the extension enabled on the demo account, WHEN a
client calls ``/sagemaker-lineage/...``, THEN it gets the statuses and bodies of docs/api.md.
"""

from __future__ import annotations

import json
import logging

import pytest
from tornado.httpclient import HTTPClientError

from sagemaker_lineage_ext.core.routes import no_route_message

REGION = "ap-northeast-2"


@pytest.fixture
def jp_server_config(demo_account):
    return {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {"demo": True},
    }


@pytest.fixture
def get(jp_fetch):
    """GET /sagemaker-lineage/<route>?<params> → (status, JSON body), errors included."""

    async def fetch(route: str, headers: dict | None = None, **params: str):
        try:
            response = await jp_fetch(
                "sagemaker-lineage", route, params=params, headers=headers or {}
            )
        except HTTPClientError as exc:
            assert exc.response is not None
            return exc.code, json.loads(exc.response.body)
        assert response.headers["Content-Type"].startswith("application/json")
        return response.code, json.loads(response.body)

    return fetch


@pytest.fixture
def extension(jp_serverapp):
    """The running LineageExtensionApp (to reach its service for fault injection)."""
    (app,) = jp_serverapp.extension_manager.extension_apps["sagemaker_lineage_ext"]
    return app


async def test_server_lineage_200_is_valid_spec_body(get, validate_lineage):
    status, body = await get("lineage", pipeline="mlops-pipeline")
    assert status == 200
    validate_lineage(body)
    assert body["pipeline"]["name"] == "mlops-pipeline"
    assert body["summary"]["overallStatus"] == "Succeeded"
    assert {n["id"] for n in body["graph"]["nodes"]} >= {"Preprocess", "Train", "Evaluate"}


async def test_server_lineage_without_execution_has_no_runs(get, validate_lineage):
    status, body = await get("lineage", pipeline="mlops-pipeline", includeLatestExec="false")
    assert status == 200
    validate_lineage(body)
    assert body["summary"]["overallStatus"] == "NotExecuted"
    assert all("run" not in n for n in body["graph"]["nodes"])


async def test_server_lineage_named_execution(get):
    _, listing = await get("executions", pipeline="mlops-pipeline")
    oldest = listing["executions"][-1]
    status, body = await get("lineage", pipeline="mlops-pipeline", executionArn=oldest["arn"])
    assert status == 200
    assert body["execution"]["arn"] == oldest["arn"]
    assert body["execution"]["status"] == oldest["status"] == "Failed"


async def test_server_lineage_domain_filter_match(get):
    status, body = await get("lineage", pipeline="mlops-pipeline", domain="mlops-studio")
    assert status == 200 and body["pipeline"]["name"] == "mlops-pipeline"


async def test_server_pipelines_200_lists_the_region(get, validate_listing):
    status, body = await get("pipelines", region=REGION)
    assert status == 200
    validate_listing(body)
    names = {p["name"] for p in body["pipelines"]}
    assert {"mlops-pipeline", "churn-pipeline", "large-pipeline-200"} <= names


async def test_server_pipelines_prefix_and_domain(get):
    _, body = await get("pipelines", prefix="large-")
    assert {p["name"] for p in body["pipelines"]} == {
        "large-pipeline-10",
        "large-pipeline-50",
        "large-pipeline-200",
        "large-pipeline-1000",
    }
    _, body = await get("pipelines", domain="risk-studio")
    assert "fraud-detection-pipeline" in {p["name"] for p in body["pipelines"]}
    assert "mlops-pipeline" not in {p["name"] for p in body["pipelines"]}


@pytest.mark.parametrize(
    ("route", "params", "named"),
    [
        ("lineage", {}, "pipeline"),
        ("lineage", {"pipeline": ""}, "pipeline"),
        ("lineage", {"pipeline": "bad_name!"}, "pipeline"),
        ("lineage", {"pipeline": "mlops-pipeline", "region": "mars-1"}, "region"),
        (
            "lineage",
            {"pipeline": "mlops-pipeline", "includeLatestExec": "maybe"},
            "includeLatestExec",
        ),
        ("lineage", {"pipeline": "mlops-pipeline", "executionArn": "arn:nope"}, "executionArn"),
        ("lineage", {"pipeline": "mlops-pipeline", "domain": "<script>"}, "domain"),
        ("lineage", {"pipeline": "mlops-pipeline", "domain": ""}, "domain"),
        ("lineage", {"pipeline": "mlops-pipeline", "domain": "\x00"}, "domain"),
        ("pipelines", {"domain": " "}, "domain"),
        ("lineage", {"pipeline": "mlops-pipeline", "region": "us-east-\u0661"}, "region"),
        ("pipelines", {"region": "EU"}, "region"),
        ("pipelines", {"prefix": "a b"}, "prefix"),
        ("executions", {}, "pipeline"),
        ("executions", {"pipeline": "mlops-pipeline", "limit": "\u00b2"}, "limit"),
        ("executions", {"pipeline": "mlops-pipeline", "limit": "1000"}, "limit"),
        ("compare", {}, "pipeline"),
        ("compare", {"pipeline": "mlops-pipeline", "base": "arn:nope"}, "base"),
        ("compare", {"pipeline": "mlops-pipeline", "head": "<script>"}, "head"),
        ("artifact", {}, "uri"),
        ("export", {"pipeline": "mlops-pipeline", "format": "png"}, "format"),
        ("export", {"pipeline": "mlops-pipeline", "artifacts": "maybe"}, "artifacts"),
        ("artifact", {"uri": "s3://{bucket}/x"}, "uri"),
        (
            "lineage",
            {"pipeline": "mlops-pipeline", "includeCrossPipeline": "2"},
            "includeCrossPipeline",
        ),
    ],
)
async def test_server_bad_parameter_is_400_naming_it(get, route, params, named):
    status, body = await get(route, **params)
    assert status == 400
    assert set(body) == {"message"}
    assert named in body["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"pipeline": "no-such-pipeline"},
        {
            "pipeline": "mlops-pipeline",
            "executionArn": f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline/execution/abcdef123456",
        },
        {"pipeline": "mlops-pipeline", "domain": "risk-studio"},
    ],
    ids=["unknown-pipeline", "unknown-execution", "domain-mismatch"],
)
async def test_server_not_found_is_404(get, params):
    status, body = await get("lineage", **params)
    assert (status, body) == (404, {"message": "pipeline not found or domain filter mismatched"})
    compare_params = {k: v for k, v in params.items() if k != "executionArn"}
    if "executionArn" in params:
        compare_params["head"] = params["executionArn"]
    status, body = await get("compare", **compare_params)
    assert (status, body) == (404, {"message": "pipeline not found or domain filter mismatched"})


async def test_server_unexpected_error_is_500_with_request_id_only(get, extension, caplog):
    def explode(**_):
        raise RuntimeError("secret internal detail: /root/.aws/credentials")

    client = extension.service().gateway.client("sagemaker", REGION)
    client.meta.events.register_first("before-send.sagemaker.DescribePipeline", explode)
    with caplog.at_level(logging.ERROR, logger="sagemaker_lineage_ext"):
        status, body = await get("lineage", pipeline="mlops-pipeline")
    assert status == 500
    assert set(body) == {"message", "requestId"} and body["message"] == "internal error"
    assert len(body["requestId"]) == 32
    assert body["requestId"] in caplog.text and "secret internal detail" in caplog.text
    assert "secret" not in json.dumps(body)


@pytest.mark.parametrize("route", ["lineage", "pipelines", "executions", "compare", "artifact"])
async def test_server_unauthenticated_is_403(get, route):
    status, body = await get(route, headers={"Authorization": ""}, pipeline="mlops-pipeline")
    assert status == 403
    assert "pipeline" not in json.dumps(body)


@pytest.mark.parametrize("route", ["steps", "lineage/steps", "", "%3Cscript%3E"])
async def test_server_unknown_route_is_the_apis_json_404(get, route):
    """As on the REST API: the contract's 404 body, never Jupyter's HTML page."""
    status, body = await get(route, pipeline="mlops-pipeline")
    named = f"/{route}" if route in ("steps", "lineage/steps", "") else None
    assert (status, body) == (404, {"message": no_route_message(named)})


async def test_server_unknown_parameter_is_a_400_and_jupyters_token_is_not(
    get, jp_fetch, jp_serverapp
):
    status, body = await get("pipelines", regoin="us-east-1")
    assert status == 400 and body["message"].startswith(
        "regoin is not a parameter of /pipelines; did you mean region?"
    )
    # the token in the query is how Jupyter authenticates some clients: not a mistake
    response = await jp_fetch(
        "sagemaker-lineage",
        "pipelines",
        params={"token": jp_serverapp.identity_provider.token, "prefix": "churn"},
    )
    assert [p["name"] for p in json.loads(response.body)["pipelines"]] == ["churn-pipeline"]


async def test_server_unknown_route_needs_the_token_like_every_route(get):
    status, _ = await get("steps", headers={"Authorization": ""})
    assert status == 403


async def test_server_answers_under_base_url(jp_fetch, jp_base_url):
    # jp_fetch puts the server's base_url in front: the route must live under it
    response = await jp_fetch("sagemaker-lineage", "pipelines")
    assert response.effective_url.split("?")[0].endswith(
        jp_base_url.rstrip("/") + "/sagemaker-lineage/pipelines"
    )


async def test_server_demo_mode_leaves_no_fake_credentials_for_kernels(get):
    import os

    status, _ = await get("pipelines")
    assert status == 200
    # kernels started by this server follow it to the demo account...
    assert os.environ["SAGEMAKER_LINEAGE_DEMO"] == "1"
    # ...and moto did not put fake keys where a kernel would take them for real ones
    assert os.environ.get("AWS_ACCESS_KEY_ID") != "FOOBARKEY"
    assert os.environ.get("AWS_SECRET_ACCESS_KEY") != "FOOBARSECRET"


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("lineage", {"pipeline": "mlops-pipeline"}),
        ("pipelines", {"prefix": "mlops"}),
        ("executions", {"pipeline": "mlops-pipeline"}),
        ("openlineage", {"pipeline": "mlops-pipeline"}),
        ("check", {"pipeline": "mlops-pipeline"}),
        ("compare", {"pipeline": "mlops-pipeline"}),
        ("artifact", {"uri": "s3://my-mlops-dev2-v2-main-data/features/customers"}),
        ("export", {"pipeline": "mlops-pipeline", "format": "dot"}),
    ],
)
async def test_server_serves_every_route_of_the_table_with_the_demo_marker(
    get, route, params, validate_against
):
    from sagemaker_lineage_ext.core.routes import ROUTES

    assert route in ROUTES
    status, body = await get(route, **params)
    assert status == 200, body
    validate_against(ROUTES[route].schema, body)
    assert body["demo"] is True
    region = (
        body["pipeline"]["region"] if route in ("lineage", "compare", "check") else body["region"]
    )
    assert region == REGION


async def test_server_log_names_the_demo_account_once(get, caplog):
    with caplog.at_level(logging.INFO):
        await get("pipelines")
        await get("pipelines")
    said = [r.getMessage() for r in caplog.records if "demo account" in r.getMessage()]
    assert said == [
        "sagemaker-lineage: reading the embedded demo account, not AWS; default region "
        "ap-northeast-2"
    ]


async def test_server_lineage_is_gzipped_when_the_client_accepts_it(jp_fetch, validate_lineage):
    import gzip

    params = {"pipeline": "large-pipeline-200"}
    plain = await jp_fetch(
        "sagemaker-lineage", "lineage", params=params,
        headers={"Accept-Encoding": "identity"}, decompress_response=False,
    )  # fmt: skip
    assert "Content-Encoding" not in plain.headers
    zipped = await jp_fetch(
        "sagemaker-lineage", "lineage", params=params,
        headers={"Accept-Encoding": "gzip, deflate"}, decompress_response=False,
    )  # fmt: skip
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert zipped.headers["Content-Type"].startswith("application/json")
    body = validate_lineage(json.loads(gzip.decompress(zipped.body)))
    assert body["summary"]["stepCount"] == 200
    assert body == json.loads(plain.body)
    assert len(zipped.body) * 5 < len(plain.body), (len(zipped.body), len(plain.body))
