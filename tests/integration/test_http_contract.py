"""The HTTP contract (docs/api.md) (status + body) as every HTTP front door answers it."""

from __future__ import annotations

import logging

import pytest
from tests_support import INVALID_LINEAGE_IDS, INVALID_LINEAGE_QUERIES

from sagemaker_lineage_ext.core import handle_query
from sagemaker_lineage_ext.core.routes import no_route_message
from sagemaker_lineage_ext.demo.seed import REGION

EXECUTION = (
    f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline/execution/zzzzzzzzzzzz"
)


def test_http_lineage_200_is_the_spec_body(demo_service, validate_lineage):
    status, body = handle_query(
        demo_service, "lineage", {"pipeline": ["mlops-pipeline"]}, request_id="r1"
    )
    assert status == 200
    assert validate_lineage(body)["pipeline"]["name"] == "mlops-pipeline"


def test_http_pipelines_200(demo_service, validate_listing):
    status, body = handle_query(demo_service, "pipelines", {"prefix": "churn"}, request_id="r2")
    assert status == 200
    assert [p["name"] for p in validate_listing(body)["pipelines"]] == ["churn-pipeline"]


@pytest.mark.parametrize(("params", "message"), INVALID_LINEAGE_QUERIES, ids=INVALID_LINEAGE_IDS)
def test_http_lineage_400_names_the_parameter(demo_service, params, message):
    status, body = handle_query(demo_service, "lineage", params, request_id="r3")
    assert status == 400
    assert list(body) == ["message"]
    assert body["message"].startswith(message)


def test_http_spec_example_bodies(demo_service):
    assert handle_query(demo_service, "lineage", {}, request_id="r") == (
        400,
        {"message": "pipeline is required"},
    )
    assert handle_query(demo_service, "lineage", {"pipeline": "nope"}, request_id="r") == (
        404,
        {"message": "pipeline not found or domain filter mismatched"},
    )


@pytest.mark.parametrize(
    "params",
    [
        {"pipeline": "mlops-pipeline", "domain": "somebody-else"},
        {"pipeline": "mlops-pipeline", "executionArn": EXECUTION},
    ],
    ids=["domain-mismatch", "unknown-execution"],
)
def test_http_lineage_404(demo_service, params):
    status, body = handle_query(demo_service, "lineage", params, request_id="r4")
    assert (status, body) == (404, {"message": "pipeline not found or domain filter mismatched"})


def test_http_unknown_route_is_404(demo_service):
    status, body = handle_query(demo_service, "<script>", {}, request_id="r5")
    assert status == 404
    assert "script" not in body["message"], "the body never echoes the request"
    assert body["message"].startswith("no such route: the routes are /lineage, /pipelines")


def test_http_unknown_route_says_which_path_and_the_routes(demo_service):
    # GIVEN a path no route has, WHEN asked, THEN the 404 says so (not "pipeline not found")
    status, body = handle_query(demo_service, "nothing-here", {}, request_id="r6")
    assert (status, body["message"]) == (404, no_route_message("/nothing-here"))
    assert "pipeline not found" not in body["message"]


@pytest.mark.parametrize(
    ("route", "params", "message"),
    [
        ("pipelines", {"regoin": ["us-east-1"]},
         "regoin is not a parameter of /pipelines; did you mean region? "
         "(/pipelines takes region, domain, prefix)"),
        ("lineage", {"pipeline": ["mlops-pipeline"], "executionarn": ["x"]},
         "executionarn is not a parameter of /lineage; did you mean executionArn? (/lineage "
         "takes pipeline, region, includeLatestExec, executionArn, domain, includeCrossPipeline, fresh)"),
        ("check", {"pipeline": ["mlops-pipeline"], "policy": ["/etc/passwd"]},
         "policy is not a parameter of /check (/check takes pipeline, region, executionArn, "
         "domain, allowUnknown)"),
        ("lineage", {"pipeline": ["mlops-pipeline", "churn-pipeline"]},
         "pipeline is given 2 times: give it once"),
    ],
)  # fmt: skip
def test_http_unknown_or_repeated_parameter_is_a_400_naming_it(
    demo_service, route, params, message
):
    status, body = handle_query(demo_service, route, params, request_id="r7")
    assert (status, body) == (400, {"message": message})


def test_http_parameters_the_platform_adds_are_not_mistakes(demo_service):
    # Jupyter's token and _xsrf on its door; a client's cache-buster "_" on every door
    # ... and JupyterLab's ServerConnection adds a bare ?<milliseconds> (cache: "no-store")
    params = {
        "prefix": ["churn"], "token": ["t"], "_xsrf": ["x"], "_": ["1732900000"],
        "1795985815684": [b""],
    }  # fmt: skip
    status, body = handle_query(
        demo_service, "pipelines", params, request_id="r8", foreign={"token", "_xsrf"}
    )
    assert status == 200 and [p["name"] for p in body["pipelines"]] == ["churn-pipeline"]
    assert handle_query(demo_service, "pipelines", params, request_id="r9")[0] == 400


def test_http_denied_pipeline_is_a_500_naming_the_iam_action(demo_service, caplog):
    from tests_support import json_error

    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first(
        "before-send.sagemaker.DescribePipeline",
        lambda **_: json_error(400, "AccessDeniedException", "not authorized"),
    )
    with caplog.at_level(logging.WARNING, logger="sagemaker_lineage_ext"):
        status, body = handle_query(
            demo_service, "lineage", {"pipeline": "mlops-pipeline"}, request_id="req-7"
        )
    assert status == 500
    assert body == {
        "message": "access denied: the AWS role cannot call sagemaker:DescribePipeline",
        "requestId": "req-7",
        "code": "AccessDenied",
        "action": "sagemaker:DescribePipeline",
    }
    assert "not authorized" not in str(body), "AWS's own message (it names the role) stays out"
    assert "req-7" in caplog.text and "sagemaker:DescribePipeline" in caplog.text


def test_http_unexpected_error_is_a_bare_500_with_request_id(demo_service, caplog):
    def explode(**_):
        raise RuntimeError("secret internal detail: /home/user/.aws/credentials")

    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first("before-send.sagemaker.DescribePipeline", explode)
    with caplog.at_level(logging.ERROR, logger="sagemaker_lineage_ext"):
        status, body = handle_query(
            demo_service, "lineage", {"pipeline": "mlops-pipeline"}, request_id="req-42"
        )
    assert status == 500
    assert body == {"message": "internal error", "requestId": "req-42"}
    assert "req-42" in caplog.text and "secret internal detail" in caplog.text


def test_http_executions_200_and_400(demo_service):
    status, body = handle_query(
        demo_service, "executions", {"pipeline": "churn-pipeline"}, request_id="r9"
    )
    assert status == 200
    assert [e["status"] for e in body["executions"]] == ["Executing", "Succeeded"]
    assert handle_query(
        demo_service, "executions", {"pipeline": "churn-pipeline", "limit": "x"}, request_id="r"
    )[1] == {"message": "limit must be a whole number from 1 to 100"}
