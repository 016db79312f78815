"""/artifact and includeCrossPipeline on the demo account: a bounded, cached scan of the
region's pipelines, matched by URI and prefix.

GIVEN customer-features-pipeline writing features under one prefix and
customer-ltv-pipeline training on them, WHEN a URI or prefix is looked up (or a lineage
is read with includeCrossPipeline), THEN each side finds the other, with its steps.
"""

from __future__ import annotations

import logging

import pytest
from tests_support import json_error

from sagemaker_lineage_ext.core import CallLog
from sagemaker_lineage_ext.core.http import handle_query
from sagemaker_lineage_ext.core.request import parse_artifact_request, parse_lineage_request
from sagemaker_lineage_ext.demo.seed import PIPELINES, REGION

FEATURES = "s3://my-mlops-dev2-v2-main-data/features/customers"


def artifact(service, **params):
    return service.artifact(parse_artifact_request(params, service.config))


def lineage(service, **params):
    return service.lineage(parse_lineage_request(params, service.config))


def uses(answer: dict, key: str) -> list[tuple[str, str, str, str]]:
    return [(u["pipeline"], u["step"], u["location"], u["relation"]) for u in answer[key]]


def test_artifact_finds_the_pipeline_that_writes_and_the_one_that_reads(
    demo_service, validate_against
):
    answer = validate_against(
        "artifact-response.schema.json", artifact(demo_service, uri=f"{FEATURES}/train")
    )
    assert answer["demo"] is True and answer["region"] == REGION
    assert answer["uri"] == f"{FEATURES}/train"
    assert uses(answer, "producers") == [
        ("customer-features-pipeline", "BuildCustomerFeatures", "train", "exact")
    ]
    assert uses(answer, "consumers") == [
        ("customer-ltv-pipeline", "TrainLtvModel", "train", "exact")
    ]
    assert [p["name"] for p in answer["pipelines"]] == [
        "customer-features-pipeline",
        "customer-ltv-pipeline",
    ]
    assert all(p["latestExecution"]["status"] == "Succeeded" for p in answer["pipelines"])
    assert answer["scanned"] == len(PIPELINES) and answer["warnings"] == []


def test_artifact_prefix_relations_count_both_ways(demo_service):
    prefix = artifact(demo_service, uri=FEATURES)
    assert {u[3] for u in uses(prefix, "producers") + uses(prefix, "consumers")} == {"within"}
    assert len(prefix["producers"]) == 2 and len(prefix["consumers"]) == 2
    inside = artifact(demo_service, uri=f"{FEATURES}/validation/validation.csv")
    assert uses(inside, "producers") == [
        ("customer-features-pipeline", "BuildCustomerFeatures", "validation", "contains")
    ]
    assert artifact(demo_service, uri=f"{FEATURES}-old/train")["producers"] == []


def test_artifact_placeholders_match_any_run(demo_service, demo_account):
    run = next(a for a in demo_account.step_records if "/mlops-pipeline/" in a).rsplit("/", 1)[-1]
    answer = artifact(demo_service, uri=f"s3://my-mlops-dev2-v2-main-data/abalone/{run}/train")
    # live-retrain-pipeline runs mlops-pipeline's definition: the same placeholder location
    assert uses(answer, "producers") == [
        ("live-retrain-pipeline", "Preprocess", "train", "exact"),
        ("mlops-pipeline", "Preprocess", "train", "exact"),
    ]
    assert all(p["resolved"] is False for p in answer["producers"])


def test_artifact_domain_scans_only_the_domain(demo_service):
    answer = artifact(demo_service, uri=FEATURES, domain="mlops-studio")
    assert answer["scanned"] == 1 and answer["producers"] == answer["consumers"] == []
    risk = artifact(demo_service, uri="s3://my-mlops-dev2-v2-main-data/fraud", domain="risk-studio")
    assert {p["name"] for p in risk["pipelines"]} == {"fraud-detection-pipeline"}


def test_artifact_unused_uri_is_an_empty_200(demo_service):
    status, body = handle_query(
        demo_service, "artifact", {"uri": "s3://nobody-uses-it"}, request_id="r"
    )
    assert status == 200 and body["producers"] == body["consumers"] == body["pipelines"] == []


def test_artifact_second_scan_is_list_pipelines_alone(demo_service):
    artifact(demo_service, uri=FEATURES)
    log = CallLog()
    demo_service.gateway.observe(log)
    again = artifact(demo_service, uri=FEATURES)
    assert log.by_operation() == {"ListPipelines": 1}
    assert len(again["producers"]) == 2


def test_artifact_scan_reads_a_definition_again_when_its_pipeline_changed(demo_service):
    gw = demo_service.gateway
    (summary,) = [
        s for s in gw.list_pipelines(REGION, None) if s["PipelineName"] == "mlops-pipeline"
    ]
    log = CallLog()
    gw.observe(log)
    first = gw.current_definition(REGION, summary)
    assert gw.current_definition(REGION, summary) == first
    assert log.by_operation() == {"DescribePipeline": 1}
    updated = dict(summary, LastModifiedTime=summary["LastModifiedTime"].replace(year=2030))
    gw.current_definition(REGION, updated)
    assert log.by_operation() == {"DescribePipeline": 2}


def test_artifact_scan_at_most_three_reads_per_pipeline_in_three_rounds(demo_service):
    log = CallLog()
    demo_service.gateway.observe(log)
    artifact(demo_service, uri=FEATURES)
    calls = log.by_operation()
    assert calls["ListPipelines"] == 1
    ran = [p for p in PIPELINES if p.executions]  # a pipeline that never ran has no run to read
    assert calls["DescribePipeline"] == len(PIPELINES)
    assert (
        calls["ListPipelineExecutions"] == calls["ListPipelineParametersForExecution"] == len(ran)
    )
    assert log.depth() == 3


def test_artifact_a_pipeline_that_cannot_be_read_is_left_out_with_a_warning(demo_service, caplog):
    client = demo_service.gateway.client("sagemaker", REGION)

    def deny(request, **_):
        if b"customer-ltv-pipeline" in request.body:
            return json_error(400, "AccessDeniedException", "not authorized")
        return None

    client.meta.events.register_first("before-send.sagemaker.DescribePipeline", deny)
    with caplog.at_level(logging.CRITICAL, logger="sagemaker_lineage_ext"):
        answer = artifact(demo_service, uri=FEATURES)
    assert {u["pipeline"] for u in answer["producers"] + answer["consumers"]} == {
        "customer-features-pipeline"
    }
    (warning,) = answer["warnings"]
    assert warning["code"] == "AccessDenied" and warning["target"].endswith("customer-ltv-pipeline")
    assert answer["scanned"] == len(PIPELINES)


def test_lineage_cross_pipeline_links_each_artifact_to_the_other_pipelines(
    demo_service, validate_lineage
):
    ltv = validate_lineage(
        lineage(demo_service, pipeline="customer-ltv-pipeline", includeCrossPipeline="true")
    )
    by_uri = {a["uri"]: a for a in ltv["graph"]["artifacts"]}
    train = by_uri[f"{FEATURES}/train"]
    assert [(u["pipeline"], u["step"], u["relation"]) for u in train["upstreamPipelines"]] == [
        ("customer-features-pipeline", "BuildCustomerFeatures", "exact")
    ]
    assert train["downstreamPipelines"] == []
    validation = by_uri[f"{FEATURES}/validation/validation.csv"]
    assert validation["upstreamPipelines"][0]["relation"] == "contains"
    assert all("upstreamPipelines" in a for a in ltv["graph"]["artifacts"])

    features = lineage(
        demo_service, pipeline="customer-features-pipeline", includeCrossPipeline="1"
    )
    written = {a["uri"]: a for a in features["graph"]["artifacts"]}[f"{FEATURES}/train"]
    assert [u["pipeline"] for u in written["downstreamPipelines"]] == ["customer-ltv-pipeline"]


def test_lineage_without_cross_pipeline_reads_no_other_pipeline(demo_service):
    log = CallLog()
    demo_service.gateway.observe(log)
    answer = lineage(demo_service, pipeline="customer-ltv-pipeline")
    assert "ListPipelines" not in log.by_operation()
    assert all("upstreamPipelines" not in a for a in answer["graph"]["artifacts"])


def test_lineage_cross_pipeline_with_a_domain_stays_in_the_domain(demo_service):
    answer = lineage(
        demo_service, pipeline="mlops-pipeline", domain="mlops-studio", includeCrossPipeline="true"
    )
    assert all(
        a["upstreamPipelines"] == a["downstreamPipelines"] == []
        for a in answer["graph"]["artifacts"]
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "uri is required"),
        ({"uri": "my-bucket/key"}, "uri must be an S3 URI or prefix"),
        ({"uri": "s3://bucket", "region": "mars"}, "region is not a valid AWS region name"),
        ({"uri": "s3://bucket", "domain": ""}, "domain must not be empty when given"),
    ],
)
def test_artifact_400_names_the_parameter(demo_service, validate_error, params, message):
    status, body = handle_query(demo_service, "artifact", params, request_id="r")
    assert status == 400 and validate_error(status, body)["message"].startswith(message)


def test_region_scan_stopped_starts_no_read(demo_service):
    from sagemaker_lineage_ext.core.region_scan import RegionScan

    log = CallLog()
    demo_service.gateway.observe(log)
    scan = RegionScan(demo_service.gateway, REGION)
    scan.stop()
    index = scan.run()
    assert log.calls == 0 and index.pipelines == {}


def test_lineage_cross_pipeline_of_an_unknown_pipeline_is_a_404(demo_service, validate_error):
    params = {"pipeline": "no-such-pipeline", "includeCrossPipeline": "true"}
    status, body = handle_query(demo_service, "lineage", params, request_id="r")
    assert status == 404 and validate_error(status, body)
