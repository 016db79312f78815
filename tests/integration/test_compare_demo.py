"""/compare on the demo account: real botocore clients, moto, the hooks.

GIVEN mlops-pipeline's three nightly executions (a failed one, then one on the v1
definition, then one after an UpdatePipeline on a larger training instance), WHEN two
of them are compared, THEN the answer says what changed and why, and costs the reads
of two lineages (without bucket posture) plus one listing.
"""

from __future__ import annotations

import pytest
from tests_support import json_error

from sagemaker_lineage_ext.core import CallLog, LineageConfig
from sagemaker_lineage_ext.core.errors import InvalidInputError, NotFoundError
from sagemaker_lineage_ext.core.http import handle_query
from sagemaker_lineage_ext.core.request import parse_compare_request, parse_lineage_request
from sagemaker_lineage_ext.demo import demo_service as make_demo_service
from sagemaker_lineage_ext.demo.seed import REGION


def executions(demo_account, pipeline: str) -> list[str]:
    """Execution ARNs of a demo pipeline, oldest first."""
    records = demo_account.step_records
    arns = [arn for arn in records if f":pipeline/{pipeline}/execution/" in arn]
    return sorted(arns, key=lambda arn: min(s["StartTime"] for s in records[arn]))


def compare(service, **params):
    return service.compare(parse_compare_request(params, service.config))


def step(answer: dict, name: str) -> dict:
    return next(s for s in answer["steps"] if s["step"] == name)


@pytest.fixture(scope="module")
def latest_two(demo_account, validate_against):
    service = make_demo_service()
    try:
        yield validate_against(
            "compare-response.schema.json", compare(service, pipeline="mlops-pipeline")
        )
    finally:
        service.gateway.close()


def test_compare_defaults_to_the_latest_execution_and_the_one_before(latest_two, demo_account):
    failed, previous, latest = executions(demo_account, "mlops-pipeline")
    assert latest_two["base"]["arn"] == previous and latest_two["head"]["arn"] == latest
    assert latest_two["demo"] is True
    assert latest_two["pipeline"]["name"] == "mlops-pipeline"
    assert [s["step"] for s in latest_two["steps"]][:3] == ["Preprocess", "Train", "Evaluate"]
    assert len(latest_two["steps"]) == 7 and len(latest_two["edges"]) == 10


def test_compare_says_what_the_update_and_the_parameter_changed(latest_two):
    summary = latest_two["summary"]
    assert summary["definitionChanged"] is True
    assert latest_two["parameters"] == [
        {"name": "TrainingInstanceType", "before": "ml.m5.xlarge", "after": "ml.m5.2xlarge"}
    ]
    train = step(latest_two, "Train")
    changes = {a["path"]: a for a in train["arguments"]}
    assert changes["Arguments.HyperParameters.max_depth"]["cause"] == "definition"
    instance = changes["Arguments.ResourceConfig.InstanceType"]
    assert (instance["after"], instance["cause"], instance["source"]) == (
        "ml.m5.2xlarge",
        "parameter",
        "TrainingInstanceType",
    )
    assert {m["name"]: (m["before"], m["after"]) for m in train["metrics"]} == {
        "train:rmse": (1.744, 1.712),
        "validation:rmse": (2.131, 2.078),
    }
    assert train["durationSec"] == {"before": 548, "after": 371, "delta": -177, "percent": -32.3}
    assert train["verdict"] == "faster" and "Train" in summary["faster"]
    (model,) = train["outputs"]
    assert model["name"] == "model_artifacts" and model["before"] != model["after"]


def test_compare_explains_the_cache_hit_and_the_cache_miss(latest_two):
    preprocess, train = step(latest_two, "Preprocess"), step(latest_two, "Train")
    base = latest_two["base"]["arn"]
    assert preprocess["cache"]["after"] == {
        "enabled": True, "expireAfter": "P30D", "hit": True, "source": base,
    }  # fmt: skip
    assert preprocess["cache"]["before"]["enabled"] is False
    assert (
        preprocess["cache"]["reason"] == "cache hit: reused the base execution's run of this step"
    )
    assert train["cache"]["after"]["hit"] is False
    assert train["cache"]["keyChanges"] == ["Arguments.HyperParameters.max_depth"]
    assert "max_depth (changed in the definition: 5 -> 6)" in train["cache"]["reason"]
    assert latest_two["summary"]["cacheHits"] == ["Preprocess"]
    assert latest_two["summary"]["cacheMisses"] == ["Train"]
    # the model changed upstream, so Evaluate's input did, and it is in its cache key
    evaluate = {a["path"]: a for a in step(latest_two, "Evaluate")["arguments"]}
    model_input = evaluate["Arguments.ProcessingInputs[0].S3Input.S3Uri"]
    assert (model_input["cause"], model_input["source"], model_input["cacheKey"]) == (
        "upstream",
        "Train",
        True,
    )
    assert step(latest_two, "Evaluate")["cache"] is None, "Evaluate never caches"


def test_compare_a_failed_base_shows_newly_passing_steps(
    demo_service, demo_account, validate_against
):
    failed, previous, latest = executions(demo_account, "mlops-pipeline")
    answer = validate_against(
        "compare-response.schema.json",
        compare(demo_service, pipeline="mlops-pipeline", base=failed, head=previous),
    )
    assert answer["summary"]["definitionChanged"] is False, "both ran the v1 definition"
    assert answer["summary"]["newlyPassing"] == [
        "Train", "Evaluate", "CheckMSE", "RegisterAbalone-RegisterModel",
        "CreateAbaloneModel-CreateModel",
    ]  # fmt: skip
    assert step(answer, "Train")["status"] == {"before": "Failed", "after": "Succeeded"}
    assert step(answer, "MSEFail")["verdict"] == "unchanged"
    assert all(s["cache"] is None for s in answer["steps"]), "no caching in v1"


def test_compare_head_alone_compares_with_the_execution_before_it(demo_service, demo_account):
    failed, previous, _ = executions(demo_account, "mlops-pipeline")
    answer = compare(demo_service, pipeline="mlops-pipeline", head=previous)
    assert (answer["base"]["arn"], answer["head"]["arn"]) == (failed, previous)


def test_compare_base_alone_is_compared_with_the_latest(demo_service, demo_account):
    failed, _, latest = executions(demo_account, "mlops-pipeline")
    answer = compare(demo_service, pipeline="mlops-pipeline", base=failed)
    assert (answer["base"]["arn"], answer["head"]["arn"]) == (failed, latest)
    assert step(answer, "Train")["verdict"] == "newlyPassing"


def test_compare_base_alone_that_is_the_latest_is_a_400_naming_base(demo_service, demo_account):
    latest = executions(demo_account, "mlops-pipeline")[-1]
    with pytest.raises(InvalidInputError) as caught:
        compare(demo_service, pipeline="mlops-pipeline", base=latest)
    assert caught.value.parameter == "base"
    assert caught.value.to_body()["message"].startswith("base is the latest execution")


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"pipeline": "no-such-pipeline"}, "no pipeline named 'no-such-pipeline'"),
        ({"pipeline": "fraud-detection-pipeline"}, "has only one execution"),
        ({"pipeline": "mlops-pipeline", "domain": "risk-studio"}, "not tagged with domain"),
        (
            {"pipeline": "mlops-pipeline",
             "head": f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline/execution/zzzzzzzzzzzz"},
            "no execution arn:aws:sagemaker",
        ),
    ],
    ids=["no-pipeline", "one-execution", "domain", "no-execution"],
)  # fmt: skip
def test_compare_404_says_what_was_not_found(demo_service, params, detail):
    with pytest.raises(NotFoundError) as caught:
        compare(demo_service, **params)
    assert detail in caught.value.explanation
    status, body = handle_query(demo_service, "compare", params, request_id="r")
    if "domain" in params or detail.startswith(("no pipeline", "no execution")):
        # what a domain filter hides (or may hide) is never told over HTTP
        assert (status, body) == (
            404,
            {"message": "pipeline not found or domain filter mismatched"},
        )
    else:  # a pipeline that ran too few times: the body says so, and nothing else
        assert (status, body) == (404, {"message": caught.value.explanation})
        assert "domain filter" not in caught.value.explanation


def test_compare_costs_two_lineage_reads_without_posture(demo_account):
    """One extra set of reads for the base, on the same plan, and no S3 posture at all."""
    log = CallLog()
    service = make_demo_service()
    try:
        service.gateway.observe(log)
        request = parse_compare_request({"pipeline": "mlops-pipeline"}, service.config)
        service.compare(request)
        compare_calls = log.by_operation()
        compare_depth = log.depth()
    finally:
        service.gateway.close()
    lineage_log = CallLog()
    alone = make_demo_service(LineageConfig(enable_s3_meta=False))
    try:
        alone.gateway.observe(lineage_log)
        alone.lineage(parse_lineage_request({"pipeline": "mlops-pipeline"}, alone.config))
    finally:
        alone.gateway.close()
    one = lineage_log.by_operation()
    assert not any(
        op.startswith("GetBucket") or op == "GetPublicAccessBlock" for op in compare_calls
    )
    assert compare_calls["ListPipelineExecutions"] == 1
    for operation in ("DescribePipelineDefinitionForExecution", "ListPipelineExecutionSteps",
                      "ListPipelineParametersForExecution", "DescribeTrainingJob"):  # fmt: skip
        assert compare_calls[operation] == 2 * one[operation], operation
    # the base is read at the same time as the head: one round more (the listing), not twice
    assert compare_depth <= lineage_log.depth() + 1


def test_compare_a_job_that_cannot_be_read_is_a_warning_of_its_side(demo_service, demo_account):
    _, previous, latest = executions(demo_account, "mlops-pipeline")
    base_id = previous.rsplit("/", 1)[-1]
    client = demo_service.gateway.client("sagemaker", REGION)

    def deny_the_base(request, **_):
        if f"pipelines-{base_id}-train" in request.body.decode():
            return json_error(400, "AccessDeniedException", "not authorized")
        return None

    client.meta.events.register_first("before-send.sagemaker.DescribeTrainingJob", deny_the_base)
    answer = compare(demo_service, pipeline="mlops-pipeline", base=previous, head=latest)
    denied = [w for w in answer["warnings"] if w["code"] == "AccessDenied"]
    assert len(denied) == 1 and denied[0]["message"].startswith("base execution: could not read")
    metrics = {m["name"]: (m["before"], m["after"]) for m in step(answer, "Train")["metrics"]}
    assert metrics == {"train:rmse": (None, 1.712), "validation:rmse": (None, 2.078)}
