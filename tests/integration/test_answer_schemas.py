"""Real answers of the demo account against the JSON Schemas: every route, every demo
pipeline, with and without an execution, and the error bodies of every route."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from tests_support import json_error

from sagemaker_lineage_ext.core import (
    handle_query,
    parse_artifact_request,
    parse_compare_request,
    parse_executions_request,
    parse_lineage_request,
    parse_list_request,
    preview_lineage,
)
from sagemaker_lineage_ext.demo import account
from sagemaker_lineage_ext.demo.seed import REGION

DEMO_DEFINITIONS = Path(account.__file__).parent / "definitions"

#: The demo pipelines between them hold every shape the answers take (a running and a
#: failed execution, a tuning job, model registration, quality checks, denied buckets).
PIPELINES = ["mlops-pipeline", "churn-pipeline", "fraud-detection-pipeline", "large-pipeline-10"]


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("latest", ["true", "false"], ids=["with-execution", "definition-only"])
def test_answer_schemas_lineage_of_every_demo_pipeline(
    demo_service, validate_lineage, pipeline, latest
):
    params = {"pipeline": pipeline, "includeLatestExec": latest}
    answer = validate_lineage(
        demo_service.lineage(parse_lineage_request(params, demo_service.config))
    )
    assert answer["pipeline"]["region"] == REGION
    assert (answer["execution"] is None) == (latest == "false")


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_answer_schemas_lineage_of_a_definition_alone(validate_lineage, pipeline):
    definition = json.loads((DEMO_DEFINITIONS / f"{pipeline}.json").read_text("utf-8"))
    answer = validate_lineage(preview_lineage(definition))
    assert answer["pipeline"] is None and "demo" not in answer


def test_answer_schemas_pipelines(demo_service, validate_listing):
    listing = demo_service.list_pipelines(parse_list_request({}, demo_service.config))
    assert {p["name"] for p in validate_listing(listing)["pipelines"]} >= set(PIPELINES)


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_answer_schemas_executions(demo_service, validate_executions, pipeline):
    request = parse_executions_request({"pipeline": pipeline}, demo_service.config)
    answer = validate_executions(demo_service.list_executions(request))
    assert answer["pipeline"] == pipeline and answer["executions"]


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("lineage", {"pipeline": "mlops-pipeline"}),
        ("pipelines", {}),
        ("executions", {"pipeline": "mlops-pipeline"}),
        ("compare", {"pipeline": "mlops-pipeline"}),
        ("artifact", {"uri": "s3://my-mlops-dev2-v2-main-data"}),
    ],
)
def test_answer_schemas_demo_answers_carry_the_demo_marker(demo_service, route, params):
    status, body = handle_query(demo_service, route, params, request_id="r")
    assert status == 200
    assert body.get("demo") is True


@pytest.mark.parametrize(
    ("route", "params", "status"),
    [
        ("lineage", {}, 400),
        ("lineage", {"pipeline": "mlops-pipeline", "region": "mars"}, 400),
        ("lineage", {"pipeline": "no-such-pipeline"}, 404),
        ("lineage", {"pipeline": "mlops-pipeline", "domain": "somebody-else"}, 404),
        ("pipelines", {"prefix": "a_b"}, 400),
        ("executions", {"pipeline": "mlops-pipeline", "limit": "0"}, 400),
        ("executions", {"pipeline": "no-such-pipeline"}, 404),
        ("compare", {}, 400),
        ("compare", {"pipeline": "mlops-pipeline", "head": "arn:nope"}, 400),
        ("compare", {"pipeline": "no-such-pipeline"}, 404),
        ("compare", {"pipeline": "mlops-pipeline", "domain": "somebody-else"}, 404),
        ("artifact", {}, 400),
        ("artifact", {"uri": "s3://bucket", "region": "mars"}, 400),
        ("lineage", {"pipeline": "mlops-pipeline", "includeCrossPipeline": "x"}, 400),
        ("nowhere", {}, 404),
    ],
)
def test_answer_schemas_error_bodies(demo_service, validate_error, route, params, status):
    answer = handle_query(demo_service, route, params, request_id="r-1")
    assert answer[0] == status
    validate_error(*answer)


@pytest.mark.parametrize("route", ["lineage", "executions", "compare"])
def test_answer_schemas_500_body(demo_service, validate_error, route, caplog):
    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first(
        "before-send.sagemaker.DescribePipeline",
        lambda **_: json_error(400, "AccessDeniedException", "not authorized"),
    )
    with caplog.at_level(logging.CRITICAL, logger="sagemaker_lineage_ext"):
        status, body = handle_query(
            demo_service, route, {"pipeline": "mlops-pipeline"}, request_id="req-9"
        )
    assert validate_error(status, body)["requestId"] == "req-9"


#: Pipelines with two executions or more, and what is compared in them.
COMPARED = ["mlops-pipeline", "churn-pipeline"]


@pytest.mark.parametrize("pipeline", COMPARED)
def test_answer_schemas_compare_of_every_demo_pipeline_with_two_runs(
    demo_service, validate_against, pipeline
):
    request = parse_compare_request({"pipeline": pipeline}, demo_service.config)
    answer = validate_against("compare-response.schema.json", demo_service.compare(request))
    assert answer["pipeline"]["name"] == pipeline and answer["steps"]


@pytest.mark.parametrize(
    "uri", ["s3://my-mlops-dev2-v2-main-data", "s3://lineage-bench-00/", "s3://nobody/x"]
)
def test_answer_schemas_artifact(demo_service, validate_against, uri):
    request = parse_artifact_request({"uri": uri}, demo_service.config)
    validate_against("artifact-response.schema.json", demo_service.artifact(request))


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_answer_schemas_lineage_with_cross_pipeline(demo_service, validate_lineage, pipeline):
    params = {"pipeline": pipeline, "includeCrossPipeline": "true"}
    answer = validate_lineage(
        demo_service.lineage(parse_lineage_request(params, demo_service.config))
    )
    assert all("downstreamPipelines" in a for a in answer["graph"]["artifacts"])
