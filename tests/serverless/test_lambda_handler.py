"""The Lambda handler on real API Gateway proxy events, against the demo account.

GIVEN a recorded REST proxy event (tests/events/) and a Lambda context, WHEN the
handler answers it with the core reading the demo account through real botocore
clients, THEN the status, body and headers are those of docs/api.md.
"""

from __future__ import annotations

import json
import logging
import time

import pytest
from serverless_support import LambdaContext, proxy_event
from tests_support import INVALID_LINEAGE_IDS, INVALID_LINEAGE_QUERIES

from sagemaker_lineage_ext.core.config import LineageConfig
from sagemaker_lineage_ext.core.errors import NOT_FOUND_MESSAGE
from sagemaker_lineage_ext.core.http import cors_headers
from sagemaker_lineage_ext.core.routes import no_route_message
from sagemaker_lineage_ext.core.service import LineageService
from sagemaker_lineage_ext.demo import demo_service
from sagemaker_lineage_ext.demo.seed import REGION
from sagemaker_lineage_ext.lambda_handler import build_handler, deadline_for

EXECUTION = (
    f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline/execution/zzzzzzzzzzzz"
)


@pytest.fixture
def lambda_context() -> LambdaContext:
    return LambdaContext()


@pytest.fixture
def handler(demo_account):
    """The handler over a fresh demo service (built by the handler on its first request)."""
    services = []

    def factory():
        services.append(demo_service())
        return services[0]

    yield build_handler(factory)
    for service in services:
        service.gateway.close()


def body_of(response: dict) -> dict:
    assert response["headers"]["Content-Type"] == "application/json"
    return json.loads(response["body"])


def assert_cors(response: dict, origin: str = "*") -> None:
    headers = response["headers"]
    assert headers["Access-Control-Allow-Origin"] == origin
    assert "GET" in headers["Access-Control-Allow-Methods"]


def test_lambda_lineage_200_is_the_full_spec_body(handler, lambda_context, validate_lineage):
    response = handler(proxy_event("lineage-get.json"), lambda_context)
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is False
    body = validate_lineage(body_of(response))
    assert body["pipeline"]["name"] == "mlops-pipeline"
    assert body["execution"]["status"] == "Succeeded"
    assert {"Preprocess", "Train"} <= {n["id"] for n in body["graph"]["nodes"]}
    assert body["graph"]["edges"] and body["graph"]["artifacts"]
    assert_cors(response)


def test_lambda_pipelines_200(handler, lambda_context, validate_listing):
    response = handler(proxy_event("pipelines-get.json"), lambda_context)
    assert response["statusCode"] == 200
    listing = validate_listing(body_of(response))
    assert [p["name"] for p in listing["pipelines"]] == ["churn-pipeline"]
    assert_cors(response)


def test_lambda_repeated_parameter_is_a_400(handler, lambda_context):
    """API Gateway puts only the last value in queryStringParameters: the handler reads all
    of them, and which one was meant cannot be known."""
    event = proxy_event("lineage-get.json", {"pipeline": ["mlops-pipeline", "no-such-pipeline"]})
    assert event["queryStringParameters"] == {"pipeline": "no-such-pipeline"}
    response = handler(event, lambda_context)
    assert (response["statusCode"], body_of(response)) == (
        400,
        {"message": "pipeline is given 2 times: give it once"},
    )


def test_lambda_unknown_parameter_is_a_400_naming_it(handler, lambda_context):
    event = proxy_event("pipelines-get.json", {"regoin": ["us-east-1"]})
    response = handler(event, lambda_context)
    assert response["statusCode"] == 400
    assert body_of(response)["message"].startswith(
        "regoin is not a parameter of /pipelines; did you mean region?"
    )


def test_lambda_single_value_query_string_alone_is_read(handler, lambda_context):
    event = proxy_event("lineage-get.json", multiValueQueryStringParameters=None)
    event["queryStringParameters"] = {"pipeline": "churn-pipeline", "includeLatestExec": "false"}
    response = handler(event, lambda_context)
    assert response["statusCode"] == 200
    assert body_of(response)["pipeline"]["name"] == "churn-pipeline"


@pytest.mark.parametrize(("query", "message"), INVALID_LINEAGE_QUERIES, ids=INVALID_LINEAGE_IDS)
def test_lambda_400_names_the_parameter(handler, lambda_context, query, message):
    event = proxy_event("lineage-get-no-query.json", query or None)
    response = handler(event, lambda_context)
    assert response["statusCode"] == 400
    body = body_of(response)
    assert list(body) == ["message"] and body["message"].startswith(message)
    assert_cors(response)


def test_lambda_400_on_the_listing(handler, lambda_context):
    response = handler(proxy_event("pipelines-get.json", {"prefix": "no/slashes"}), lambda_context)
    assert response["statusCode"] == 400
    assert body_of(response)["message"].startswith("prefix")
    assert_cors(response)


@pytest.mark.parametrize(
    "query",
    [
        {"pipeline": "no-such-pipeline"},
        {"pipeline": "mlops-pipeline", "domain": "somebody-else"},
        {"pipeline": "mlops-pipeline", "executionArn": EXECUTION},
    ],
    ids=["no-pipeline", "domain-mismatch", "unknown-execution"],
)
def test_lambda_404_is_spec_sentence(handler, lambda_context, query):
    response = handler(proxy_event("lineage-get.json", query), lambda_context)
    assert (response["statusCode"], body_of(response)) == (404, {"message": NOT_FOUND_MESSAGE})
    assert_cors(response)


@pytest.mark.parametrize("resource", ["/execution", "/lineage/extra", "/", "/%3Cscript%3E"])
def test_lambda_unknown_route_is_404(handler, lambda_context, resource):
    event = proxy_event("lineage-get.json", resource=resource, path=resource)
    response = handler(event, lambda_context)
    named = resource if resource in ("/execution", "/lineage/extra", "/") else None
    assert (response["statusCode"], body_of(response)) == (
        404,
        {"message": no_route_message(named)},
    )
    assert_cors(response)


def test_lambda_500_carries_the_lambda_request_id_and_nothing_internal(demo_account, caplog):
    from tests_support import json_error

    service = demo_service()
    handle = build_handler(lambda: service)
    denied = []

    def deny(**_):
        denied.append(True)
        return json_error(400, "AccessDeniedException", "User: arn:aws:sts::123:secret is not ...")

    service.gateway.client("sagemaker", REGION).meta.events.register_first(
        "before-send.sagemaker.DescribePipeline", deny
    )
    context = LambdaContext(request_id="0f9e8d7c-6b5a-4321-9876-fedcba987654")
    try:
        with caplog.at_level(logging.INFO, logger="sagemaker_lineage_ext"):
            response = handle(proxy_event("lineage-get.json"), context)
    finally:
        service.gateway.close()
    assert denied
    assert response["statusCode"] == 500
    assert body_of(response) == {
        "message": "access denied: the AWS role cannot call sagemaker:DescribePipeline",
        "requestId": "0f9e8d7c-6b5a-4321-9876-fedcba987654",
        "code": "AccessDenied",
        "action": "sagemaker:DescribePipeline",
    }
    assert "secret" not in response["body"], "AWS's own message (it names the role) stays out"
    assert_cors(response)
    # The reason is in the log, under the request id the body gives.
    assert any(
        "0f9e8d7c-6b5a-4321-9876-fedcba987654" in r.getMessage()
        and "DescribePipeline" in r.getMessage()
        for r in caplog.records
    )


def test_lambda_500_when_the_real_service_cannot_be_configured(monkeypatch, lambda_context):
    """The deployed handler (real service factory) with a broken environment: a 500, not a crash."""
    monkeypatch.setenv("DEFAULT_REGION", "not a region")
    response = build_handler()(proxy_event("lineage-get.json"), lambda_context)
    assert response["statusCode"] == 500
    assert body_of(response) == {
        "message": "internal error",
        "requestId": lambda_context.aws_request_id,
    }
    assert "DEFAULT_REGION" not in response["body"]
    assert_cors(response)


def test_lambda_deadline_returns_partial_200_before_lambda_times_out(
    demo_account, validate_lineage
):
    """With slow AWS reads and little time left, a 200 with a Timeout warning, in time.

    Each AWS call takes 1 s, so an unbounded read of this pipeline takes several
    seconds; the budget is 3 s and the deadline it gives is 3 - 0.75 = 2.25 s. The
    answer must come after the deadline (it waited for what it could read) and well
    before the budget ran out: the margins are 0.75 s each way, hundreds of times
    the handler's own overhead, so a slow CI machine cannot flip the result.
    """
    service = demo_service(latency_ms=1000)
    budget_s = 3.0
    deadline_s = deadline_for(int(budget_s * 1000), now=0.0)
    assert deadline_s == pytest.approx(2.25)
    try:
        handle = build_handler(lambda: service)
        context = LambdaContext(budget_ms=int(budget_s * 1000))
        started = time.monotonic()
        response = handle(proxy_event("lineage-get.json"), context)
        elapsed = time.monotonic() - started
    finally:
        service.gateway.close()
    assert response["statusCode"] == 200
    body = validate_lineage(body_of(response))
    assert any(w["code"] == "Timeout" for w in body["warnings"]), "a partial answer says so"
    assert body["pipeline"]["name"] == "mlops-pipeline"
    assert elapsed < budget_s, f"answered after {elapsed:.2f} s: the Lambda would have timed out"
    assert context.get_remaining_time_in_millis() > 0


def test_lambda_deadline_keeps_a_margin():
    assert deadline_for(25_000, now=100.0) == pytest.approx(124.0)
    assert deadline_for(1_000, now=100.0) == pytest.approx(100.75)
    assert deadline_for(0, now=100.0) < 100.0


def test_lambda_cors_origin_list_echoes_only_listed_origins(handler, lambda_context, monkeypatch):
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://lineage.example.com,https://ops.example.com")
    allowed = handler(proxy_event("lineage-get-no-query.json"), lambda_context)
    assert_cors(allowed, origin="https://lineage.example.com")
    assert allowed["headers"]["Vary"] == "Origin"

    event = proxy_event("lineage-get-no-query.json")
    event["headers"]["Origin"] = "https://evil.example.net"
    refused = handler(event, lambda_context)
    assert "Access-Control-Allow-Origin" not in refused["headers"]
    assert refused["headers"]["Vary"] == "Origin"


def test_lambda_cors_headers_unit():
    assert cors_headers("*", None)["Access-Control-Allow-Origin"] == "*"
    assert cors_headers("", "https://a.example")["Access-Control-Allow-Origin"] == "*"
    listed = cors_headers("https://a.example, https://b.example", "https://b.example")
    assert listed["Access-Control-Allow-Origin"] == "https://b.example"


def test_lambda_options_is_answered_with_cors(handler, lambda_context):
    response = handler(proxy_event("options-preflight.json"), lambda_context)
    assert response["statusCode"] == 204 and response["body"] == ""
    assert_cors(response)


def test_lambda_service_is_built_lazily_and_once(demo_account, lambda_context):
    built = []

    def factory():
        built.append(demo_service())
        return built[-1]

    handle = build_handler(factory)
    assert built == [], "nothing is built before the first request"
    try:
        handle(proxy_event("pipelines-get.json"), lambda_context)
        handle(proxy_event("lineage-get.json"), lambda_context)
        assert len(built) == 1
    finally:
        for service in built:
            service.gateway.close()


def test_lambda_logs_one_structured_line_per_request(handler, lambda_context, caplog):
    with caplog.at_level(logging.INFO, logger="sagemaker_lineage_ext.lambda"):
        handler(proxy_event("lineage-get.json", {"pipeline": "no-such-pipeline"}), lambda_context)
    (record,) = [r for r in caplog.records if r.getMessage() == "request"]
    assert record.requestId == lambda_context.aws_request_id
    assert (record.method, record.resource, record.status) == ("GET", "/lineage", 404)
    assert isinstance(record.durationMs, int)


class _UnserialisableService(LineageService):
    """A real service whose listing holds a value JSON cannot encode (a set)."""

    def list_pipelines(self, request, **_):
        return {"pipelines": [{"name": "a-pipeline", "tags": {"only-in-a-set"}}], "warnings": []}


def test_lambda_unserialisable_answer_is_a_500_with_the_request_id(lambda_context, caplog):
    """json.dumps fails on the answer: the 500 body with requestId and CORS, never a bare 502."""
    service = _UnserialisableService(LineageConfig())
    try:
        with caplog.at_level(logging.INFO, logger="sagemaker_lineage_ext.lambda"):
            response = build_handler(lambda: service)(
                proxy_event("pipelines-get.json"), lambda_context
            )
    finally:
        service.gateway.close()
    assert response["statusCode"] == 500
    assert body_of(response) == {
        "message": "internal error",
        "requestId": lambda_context.aws_request_id,
    }
    assert "only-in-a-set" not in response["body"]
    assert_cors(response)
    assert any(r.exc_info and "not JSON serializable" in str(r.exc_info[1]) for r in caplog.records)
    (line,) = [r for r in caplog.records if r.getMessage() == "request"]
    assert (line.status, line.warnings) == (500, 0)


# -- inputs that are not what API Gateway sends: a JSON error with CORS, never a raise ---


@pytest.mark.parametrize(
    "event", [[], "GET /lineage", 42, None], ids=["list", "str", "int", "none"]
)
def test_lambda_event_that_is_not_an_object_is_a_json_400(handler, lambda_context, event):
    response = handler(event, lambda_context)
    assert response["statusCode"] == 400
    assert body_of(response) == {
        "message": "the event is not an API Gateway proxy event (a JSON object)"
    }
    assert_cors(response)


@pytest.mark.parametrize("headers", [["Origin", "x"], "Origin: x", 7])
def test_lambda_headers_that_are_not_an_object_are_no_headers(handler, lambda_context, headers):
    event = proxy_event("lineage-get.json", {"pipeline": "churn-pipeline"}, headers=headers)
    response = handler(event, lambda_context)
    assert response["statusCode"] == 200
    assert_cors(response)


def test_lambda_a_string_where_api_gateway_sends_a_list_is_one_value(handler, lambda_context):
    # GIVEN a hand-made event whose multi-value parameter is a string, not a list
    event = proxy_event("lineage-get.json")
    event["multiValueQueryStringParameters"] = {
        "pipeline": "churn-pipeline",
        "includeLatestExec": "false",
    }
    response = handler(event, lambda_context)
    # THEN the value is read whole (read character by character it was the pipeline "c")
    assert response["statusCode"] == 200
    assert body_of(response)["pipeline"]["name"] == "churn-pipeline"


@pytest.mark.parametrize("query", [["pipeline=x"], "pipeline=x"])
def test_lambda_query_that_is_not_an_object_is_no_query(handler, lambda_context, query):
    event = proxy_event("lineage-get.json", multiValueQueryStringParameters=query)
    event["queryStringParameters"] = query
    response = handler(event, lambda_context)
    assert (response["statusCode"], body_of(response)) == (400, {"message": "pipeline is required"})


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "HEAD"])
def test_lambda_other_methods_are_a_json_405(handler, lambda_context, method):
    event = proxy_event("lineage-get.json", httpMethod=method)
    response = handler(event, lambda_context)
    assert response["statusCode"] == 405
    assert body_of(response) == {"message": f"method {method} not allowed: use GET"}
    assert response["headers"]["Allow"] == "GET,OPTIONS"
    assert_cors(response)


def test_lambda_non_finite_numbers_are_null_with_a_warning(demo_account, lambda_context):
    # GIVEN an answer holding NaN and an infinity (a metric, a report value)
    class Weird(LineageService):
        def lineage(self, request, **kwargs):
            answer = super().lineage(request, **kwargs)
            answer["graph"]["nodes"][0]["run"]["metrics"]["auc"] = float("nan")
            answer["graph"]["nodes"][0]["run"]["metrics"]["loss"] = float("-inf")
            return answer

    service = demo_service()
    weird = Weird(service.config, service.gateway, demo=True)
    response = build_handler(lambda: weird)(proxy_event("lineage-get.json"), lambda_context)
    # THEN the body is strict JSON (no NaN/Infinity tokens) and says what was replaced
    assert response["statusCode"] == 200
    body = json.loads(response["body"], parse_constant=lambda c: pytest.fail(f"{c} in body"))
    metrics = body["graph"]["nodes"][0]["run"]["metrics"]
    assert (metrics["auc"], metrics["loss"]) == (None, None)
    targets = {w["target"] for w in body["warnings"] if w["code"] == "NonFiniteNumber"}
    assert targets == {"graph.nodes[0].run.metrics.auc", "graph.nodes[0].run.metrics.loss"}
    service.gateway.close()


def test_lambda_answer_larger_than_lambda_returns_is_a_json_500_logged_with_its_size(
    handler, lambda_context, caplog, monkeypatch
):
    """Lambda refuses a response over 6 MB (an /openlineage answer of ~600 steps): API
    Gateway then answers a bare 502 without CORS. The handler answers the contract's 500
    with CORS instead, and logs why under the request id. (The limit is lowered here so
    the demo's 200-step pipeline, 1.8 MB of events, is over it.)"""
    from sagemaker_lineage_ext import lambda_handler

    monkeypatch.setattr(lambda_handler, "MAX_RESPONSE_BYTES", 1_000_000)
    event = proxy_event(
        "lineage-get.json", {"pipeline": "large-pipeline-200"}, resource="/openlineage"
    )
    with caplog.at_level(logging.INFO, logger="sagemaker_lineage_ext.lambda"):
        response = handler(event, lambda_context)
    assert response["statusCode"] == 500
    assert body_of(response) == {
        "message": "internal error",
        "requestId": lambda_context.aws_request_id,
    }
    assert_cors(response)
    assert len(json.dumps(response)) < 1_000_000
    (why,) = [r for r in caplog.records if "over the" in r.getMessage()]
    assert "bytes" in why.getMessage() and why.requestId == lambda_context.aws_request_id
