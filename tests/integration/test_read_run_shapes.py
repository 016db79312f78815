"""Run shapes SageMaker answers with, read through the whole read plan (issue 10).

GIVEN the demo account, with some of SageMaker's answers replaced on the real botocore
client by canned ones validated against botocore's own output shapes (a ForEach
definition and its iterations, a selective execution, a ``Job`` step, an EMR step, a
denied DescribePipelineExecution, a NextToken that repeats, a report holding NaN),
WHEN the lineage is read, THEN the answer says what AWS said, as strict JSON.
"""

from __future__ import annotations

import copy
import io
import json
import time
from datetime import timedelta

import pytest
from botocore.awsrequest import AWSResponse
from tests_support import json_error

from sagemaker_lineage_ext.core import CallLog, parse_lineage_request, parse_list_request
from sagemaker_lineage_ext.core.errors import NotFoundError
from sagemaker_lineage_ext.core.http import answer_query
from sagemaker_lineage_ext.core.request import parse_executions_request
from sagemaker_lineage_ext.demo import demo_service as make_demo_service
from sagemaker_lineage_ext.demo.hooks import validate_output
from sagemaker_lineage_ext.demo.seed import REGION

PIPELINE = f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline"
DATA = "s3://my-mlops-dev2-v2-main-data"


def serve(service, operation: str, answer) -> list[dict]:
    """Answer ``operation`` on the service's SageMaker client with ``answer(request)``
    (checked against botocore's output shape); returns the requests it saw."""
    seen: list[dict] = []

    def handle(model, params, **_):
        request = json.loads(params["body"] or b"{}")
        seen.append(request)
        parsed = copy.deepcopy(answer(request))
        validate_output(model, parsed)
        parsed["ResponseMetadata"] = {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}
        return AWSResponse("https://api.sagemaker.invalid/", 200, {}, None), parsed

    client = service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first(f"before-call.sagemaker.{operation}", handle)
    return seen


def executions(demo_account) -> list[str]:
    """mlops-pipeline's executions, oldest first (Failed, Succeeded, Succeeded)."""
    records = demo_account.step_records
    arns = [arn for arn in records if ":pipeline/mlops-pipeline/execution/" in arn]
    return sorted(arns, key=lambda arn: min(s["StartTime"] for s in records[arn]))


def read(service, **params) -> dict:
    """The lineage of mlops-pipeline, within 30 s whatever happens (no test waits forever)."""
    request = parse_lineage_request({"pipeline": "mlops-pipeline", **params}, service.config)
    return service.lineage(request, deadline=time.monotonic() + 30)


def node(response: dict, name: str) -> dict:
    return next(n for n in response["graph"]["nodes"] if n["id"] == name)


@pytest.fixture
def service(demo_account):
    service = make_demo_service()
    yield service
    service.gateway.close()


# -- ForEach: the body step is a node under its ForEach step, with every iteration -----

FOR_EACH_DEFINITION = {
    "Version": "2020-12-01",
    "Parameters": [{"Name": "Regions", "Type": "String", "DefaultValue": '["eu","us","ap"]'}],
    "Steps": [
        {
            "Name": "Fan",
            "Type": "ForEach",
            "Arguments": {
                "IterableItems": {"Get": "Parameters.Regions"},
                "MaxConcurrency": 3,
                "ForEachBody": [
                    {
                        "Name": "TrainRegion",
                        "Type": "Training",
                        "Arguments": {"OutputDataConfig": {"S3OutputPath": f"{DATA}/regional"}},
                    }
                ],
            },
        },
        {
            "Name": "Spark",
            "Type": "EMR",
            "Arguments": {
                "ClusterId": "j-2AXXXXXXGAPLF",
                "StepConfig": {"HadoopJarStep": {"Jar": "command-runner.jar", "Args": []}},
            },
        },
    ],
}


def test_lineage_for_each_iterations_are_listed_and_a_failed_one_fails_the_node(
    service, demo_account, validate_lineage
):
    arn = executions(demo_account)[-1]
    start = min(s["StartTime"] for s in demo_account.step_records[arn])
    job = f"arn:aws:sagemaker:{REGION}:123456789012:training-job/pipelines-x-trainregion-"
    serve(
        service,
        "DescribePipelineDefinitionForExecution",
        lambda _: {"PipelineDefinition": json.dumps(FOR_EACH_DEFINITION), "CreationTime": start},
    )
    children = [
        {
            "StepName": f"TrainRegion-{i}",
            "StepStatus": status,
            "StartTime": start + timedelta(minutes=1 + i),
            "EndTime": start + timedelta(minutes=5 + i),
            "AttemptCount": 1,
            "Metadata": {"TrainingJob": {"Arn": f"{job}{i}"}},
            "IterationContext": {"ParentStepName": "Fan", "Index": i, "Item": region},
            **({"FailureReason": "AlgorithmError: no data for ap"} if status == "Failed" else {}),
        }
        for i, (region, status) in enumerate(
            [("eu", "Succeeded"), ("us", "Succeeded"), ("ap", "Failed")]
        )
    ]
    fan = {
        "StepName": "Fan",
        "StepStatus": "Failed",
        "StartTime": start,
        "EndTime": start + timedelta(minutes=8),
        "AttemptCount": 1,
        "Metadata": {
            "ForEach": {"Status": "Failed", "InputItemCount": 3, "TotalStepCount": 3,
                        "SucceededStepCount": 2, "FailedStepCount": 1, "StoppedStepCount": 0}
        },
    }  # fmt: skip
    spark = {
        "StepName": "Spark",
        "StepStatus": "Succeeded",
        "StartTime": start,
        "EndTime": start + timedelta(minutes=3),
        "AttemptCount": 1,
        "Metadata": {
            "EMR": {"ClusterId": "j-2AXXXXXXGAPLF", "StepId": "s-1", "StepName": "features",
                    "LogFilePath": f"{DATA}/emr-logs/s-1/"}
        },
    }  # fmt: skip
    serve(
        service,
        "ListPipelineExecutionSteps",
        lambda _: {"PipelineExecutionSteps": [fan, spark, *children]},
    )

    response = validate_lineage(read(service, executionArn=arn))

    body = node(response, "TrainRegion")
    assert body["parent"] == {"step": "Fan", "branch": "body"}
    assert {"from": "Fan", "to": "TrainRegion", "via": "forEach"} in response["graph"]["edges"]
    run = body["run"]
    assert run["status"] == "Failed" and run["attempts"] == 1
    assert [(i["index"], i["status"], i["jobArn"]) for i in run["iterations"]] == [
        (0, "Succeeded", f"{job}0"),
        (1, "Succeeded", f"{job}1"),
        (2, "Failed", f"{job}2"),
    ]
    assert run["failureReason"] == "iteration 2: AlgorithmError: no data for ap"
    # no node for the children's own names: they are iterations of the body step
    assert not [n for n in response["graph"]["nodes"] if n["id"].startswith("TrainRegion-")]
    assert response["summary"]["failedSteps"] == ["Fan", "TrainRegion"]
    # the EMR step: its cluster by ARN, its step and log, the log as a debug output
    spark_run = node(response, "Spark")["run"]
    assert spark_run["jobArn"] == (
        f"arn:aws:elasticmapreduce:{REGION}:123456789012:cluster/j-2AXXXXXXGAPLF"
    )
    assert spark_run["emr"]["stepId"] == "s-1"
    assert {"name": "log", "uri": f"{DATA}/emr-logs/s-1/", "role": "debug"}.items() <= node(
        response, "Spark"
    )["outputs"][0].items()


# -- selective execution, and a Job step named by its job's ARN -------------------------


def test_lineage_selective_execution_and_job_steps(service, demo_account, validate_lineage):
    arn = executions(demo_account)[-1]
    source = executions(demo_account)[-2]
    steps = copy.deepcopy(demo_account.step_records[arn])
    for step in steps:
        if step["StepName"] == "Preprocess":
            step["SelectiveExecutionResult"] = {"SourcePipelineExecutionArn": source}
        if step["StepName"] == "Train":  # the SDK v3 templates' generic Job step
            step["Metadata"] = {"Job": step["Metadata"]["TrainingJob"]}
    serve(service, "ListPipelineExecutionSteps", lambda _: {"PipelineExecutionSteps": steps})

    response = validate_lineage(read(service, executionArn=arn))

    assert node(response, "Preprocess")["run"]["reusedFrom"] == source
    summary = response["summary"]
    assert summary["reused"] == 1
    assert sum(summary["nodeStatus"].values()) + summary["reused"] == summary["stepCount"]
    train = node(response, "Train")["run"]
    assert ":training-job/" in train["jobArn"]
    assert train["metrics"], "the job a Job step ran is described like a training step's"


# -- DescribePipelineExecution unreadable: the listing's summary, read right -------------


def test_lineage_execution_from_the_listing_keeps_its_failure_and_never_ends_now(
    service, demo_account, validate_lineage
):
    failed = executions(demo_account)[0]
    steps = demo_account.step_records[failed]
    serve(
        service,
        "ListPipelineExecutions",
        lambda _: {
            "PipelineExecutionSummaries": [
                {
                    "PipelineExecutionArn": failed,
                    "StartTime": min(s["StartTime"] for s in steps),
                    "PipelineExecutionStatus": "Failed",
                    "PipelineExecutionFailureReason": "Step failure: One or multiple steps failed.",
                }
            ]
        },
    )
    client = service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first(
        "before-send.sagemaker.DescribePipelineExecution",
        lambda **_: json_error(400, "AccessDeniedException", "not authorized"),
    )

    response = validate_lineage(read(service))

    execution = response["execution"]
    assert execution["failureReason"] == "Step failure: One or multiple steps failed."
    last_end = max(s["EndTime"] for s in steps if s.get("EndTime"))
    first_start = min(s["StartTime"] for s in steps)
    assert execution["elapsedSec"] == round((last_end - first_start).total_seconds())
    assert [w["code"] for w in response["warnings"]].count("AccessDenied") >= 1
    assert response["summary"]["failedSteps"] == ["Train"]


def test_executions_and_lineage_read_a_summary_without_a_start_time(service, demo_account):
    newest = executions(demo_account)[-1]
    serve(
        service,
        "ListPipelineExecutions",
        lambda _: {
            "PipelineExecutionSummaries": [
                {"PipelineExecutionArn": executions(demo_account)[0], "PipelineExecutionStatus": "Failed"},
                {"PipelineExecutionArn": newest, "PipelineExecutionStatus": "Succeeded",
                 "StartTime": demo_account.step_records[newest][0]["StartTime"]},
            ]
        },
    )  # fmt: skip
    listing = service.list_executions(
        parse_executions_request({"pipeline": "mlops-pipeline"}, service.config)
    )
    assert [e["arn"] for e in listing["executions"]] == [newest, executions(demo_account)[0]]
    assert listing["executions"][1]["startTime"] is None
    assert read(service)["execution"]["arn"] == newest


# -- paging that never ends ----------------------------------------------------------


def test_lineage_a_repeating_next_token_ends_the_step_list_with_a_warning(service, demo_account):
    arn = executions(demo_account)[-1]
    steps = demo_account.step_records[arn]
    pages = serve(
        service,
        "ListPipelineExecutionSteps",
        lambda _: {"PipelineExecutionSteps": steps[:2], "NextToken": "same-token-again"},
    )
    response = read(service, executionArn=arn)
    assert len(pages) == 2, "the second page repeats the token: no third request"
    (warning,) = [w for w in response["warnings"] if w["code"] == "RepeatedNextToken"]
    assert warning["target"] == arn
    # steps the list never reached may have run: Unknown, not NotStarted
    assert node(response, "Evaluate")["run"]["status"] == "Unknown"


def test_lineage_a_listing_whose_token_repeats_is_a_warning_not_a_hang(service):
    pages = serve(
        service, "ListTags", lambda _: {"Tags": [{"Key": "k", "Value": "v"}], "NextToken": "again"}
    )
    response = read(service, includeLatestExec="false")
    assert len(pages) == 2
    assert [w["code"] for w in response["warnings"]] == ["RepeatedNextToken"]
    with pytest.raises(Exception) as caught:  # the domain filter needs the tags: an error
        read(service, includeLatestExec="false", domain="mlops-studio")
    assert "RepeatedNextToken" in str(caught.value)


# -- strict JSON through the core's one answer -------------------------------------------


def test_answer_query_report_holding_nan_is_strict_json_with_a_warning(service, demo_account):
    class Body(io.BytesIO):
        """What urllib3 hands botocore: readable, closable, streamable."""

        def stream(self, **_):
            yield self.getvalue()

    report = b'{"regression_metrics": {"mse": {"value": NaN, "standard_deviation": Infinity}}}'
    client = service.gateway.client("s3", REGION)
    client.meta.events.register_first(
        "before-send.s3.GetObject",
        lambda **_: AWSResponse(
            "https://s3.invalid/", 200, {"Content-Length": str(len(report))}, Body(report)
        ),
    )
    outcome = answer_query(
        service, "lineage", {"pipeline": "mlops-pipeline"}, request_id="test-nan"
    )
    assert outcome.status == 200
    text = json.dumps(outcome.body, allow_nan=False)  # raises on NaN/Infinity
    body = json.loads(text)
    check = node(body, "CheckMSE")["run"]["conditions"][0]
    assert check["left"] is None
    codes = [w["code"] for w in body["warnings"]]
    assert codes.count("NonFiniteNumber") >= 2


# -- posture: when it was read, and reading it again on request ---------------------------


def encryption_reads(log: CallLog) -> int:
    return len([r for r in log.records if r.operation == "GetBucketEncryption"])


def test_lineage_posture_carries_its_read_time_and_fresh_reads_it_again(service):
    log = CallLog()
    service.gateway.observe(log)
    first = read(service)
    assert all(a["s3"]["readAt"] for a in first["graph"]["artifacts"] if a["s3"])
    reads = encryption_reads(log)
    assert reads >= 1
    cached = read(service)
    assert encryption_reads(log) == reads
    bucket_times = {a["bucket"]: a["s3"]["readAt"] for a in first["graph"]["artifacts"] if a["s3"]}
    assert {
        a["bucket"]: a["s3"]["readAt"] for a in cached["graph"]["artifacts"] if a["s3"]
    } == bucket_times
    fresh = read(service, fresh="true")
    assert encryption_reads(log) == 2 * reads
    assert all(
        a["s3"]["readAt"] >= bucket_times[a["bucket"]]
        for a in fresh["graph"]["artifacts"]
        if a["s3"]
    )


# -- a region the demo has never seen is an empty region --------------------------------


def test_demo_region_it_has_never_seen_is_empty_and_not_found(service):
    listing = service.list_pipelines(parse_list_request({"region": "eu-west-99"}, service.config))
    assert listing["pipelines"] == [] and listing["region"] == "eu-west-99"
    with pytest.raises(NotFoundError):
        read(service, region="eu-west-99")
    with pytest.raises(NotFoundError):
        service.list_executions(
            parse_executions_request(
                {"pipeline": "mlops-pipeline", "region": "eu-west-99"}, service.config
            )
        )


@pytest.mark.parametrize("levels", [600, 5000])
def test_lineage_report_nested_too_deeply_is_a_warning_never_a_recursion_error(
    service, levels, caplog
):
    report = ("[" * levels + "]" * levels).encode()

    class Body(io.BytesIO):
        def stream(self, **_):
            yield self.getvalue()

    client = service.gateway.client("s3", REGION)
    client.meta.events.register_first(
        "before-send.s3.GetObject",
        lambda **_: AWSResponse(
            "https://s3.invalid/", 200, {"Content-Length": str(len(report))}, Body(report)
        ),
    )
    outcome = answer_query(service, "lineage", {"pipeline": "mlops-pipeline"}, request_id="deep")
    assert outcome.status == 200
    codes = [w["code"] for w in outcome.body["warnings"]]
    assert "ReportTooDeep" in codes and "InternalError" not in codes
    assert "RecursionError" not in caplog.text
    json.dumps(outcome.body, allow_nan=False)
