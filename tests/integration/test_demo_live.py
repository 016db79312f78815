"""The demo's advancing execution: live-retrain-pipeline's steps start and finish in
wall-clock time, a fresh run starts after each one ends, and every answer follows the
clock (demo/live.py).

The account's clock is moved instead of waiting: the same moment after the account
started always gives the same answers.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import pytest

from sagemaker_lineage_ext.core.request import (
    parse_executions_request,
    parse_lineage_request,
    parse_list_request,
)
from sagemaker_lineage_ext.demo import live
from sagemaker_lineage_ext.demo.hooks import CannedResponseError

PIPELINE = "live-retrain-pipeline"


@contextlib.contextmanager
def clock_at(demo_account, seconds: float):
    """The demo account's clock ``seconds`` after the advancing execution started."""
    execution = next(iter(demo_account.advancing.values()))
    start = min(r["StartTime"] for r in execution.records)
    saved = demo_account.clock
    demo_account.clock = lambda: start + timedelta(seconds=seconds)
    try:
        yield
    finally:
        demo_account.clock = saved


def finished(demo_account) -> float:
    """Seconds after the first run started at which it has ended and the next has not
    started (within the pause between runs)."""
    restarts = demo_account.restarts[0]
    return restarts.period.total_seconds() - live.PAUSE_S / 2


def statuses(response: dict) -> dict[str, str]:
    return {n["id"]: n["run"]["status"] for n in response["graph"]["nodes"]}


def read(service) -> dict:
    return service.lineage(parse_lineage_request({"pipeline": PIPELINE}, service.config))


def test_demo_live_execution_advances_step_by_step(demo_service, demo_account, validate_lineage):
    with clock_at(demo_account, 1):
        first = validate_lineage(read(demo_service))
    with clock_at(demo_account, 30):
        second = validate_lineage(read(demo_service))
    with clock_at(demo_account, finished(demo_account)):
        last = validate_lineage(read(demo_service))

    assert first["execution"]["status"] == "Executing"
    assert statuses(first)["Preprocess"] == "Executing"
    assert statuses(first)["Train"] == "NotStarted"
    assert second["execution"]["status"] == "Executing"
    assert statuses(second)["Preprocess"] == "Succeeded"
    assert statuses(second)["Train"] == "Executing"
    assert last["execution"]["status"] == "Succeeded"
    assert last["summary"]["nodeStatus"] == {"Succeeded": 6, "NotStarted": 1}
    train = next(n for n in last["graph"]["nodes"] if n["id"] == "Train")
    assert train["run"]["metrics"], "the finished training job has its final metrics"


def test_demo_live_job_is_in_progress_until_its_step_ends(demo_account):
    sm = demo_account.client("sagemaker", demo_account.region)
    execution = next(iter(demo_account.advancing.values()))
    record = next(r for r in execution.records if r["StepName"] == "Train")
    name = record["Metadata"]["TrainingJob"]["Arn"].rsplit("/", 1)[-1]
    with clock_at(demo_account, 30):
        running = sm.describe_training_job(TrainingJobName=name)
        listed = sm.list_pipeline_execution_steps(PipelineExecutionArn=execution.arn)
    with clock_at(demo_account, finished(demo_account)):
        done = sm.describe_training_job(TrainingJobName=name)

    assert running["TrainingJobStatus"] == "InProgress"
    assert "TrainingEndTime" not in running and "FinalMetricDataList" not in running
    steps = {s["StepName"]: s for s in listed["PipelineExecutionSteps"]}
    assert steps["Train"]["StepStatus"] == "Executing" and "EndTime" not in steps["Train"]
    assert "Evaluate" not in steps, "a step that has not started is not listed"
    assert done["TrainingJobStatus"] == "Completed" and done["FinalMetricDataList"]


def test_demo_live_listings_follow_the_clock(demo_service, demo_account):
    with clock_at(demo_account, 30):
        pipelines = demo_service.list_pipelines(parse_list_request({}, demo_service.config))
        executions = demo_service.list_executions(
            parse_executions_request({"pipeline": PIPELINE}, demo_service.config)
        )
    latest = next(p for p in pipelines["pipelines"] if p["name"] == PIPELINE)["latestExecution"]
    assert latest["status"] == "Executing"
    assert [e["status"] for e in executions["executions"]] == ["Executing"]


def test_demo_live_pipeline_starts_a_fresh_run_after_each_run_ends(
    demo_service, demo_account, validate_lineage, validate_executions
):
    # GIVEN the first run has ended and the pause after it has passed
    period = demo_account.restarts[0].period.total_seconds()
    with clock_at(demo_account, finished(demo_account)):
        first = read(demo_service)
    with clock_at(demo_account, period + 30):
        second = validate_lineage(read(demo_service))
        executions = validate_executions(
            demo_service.list_executions(
                parse_executions_request({"pipeline": PIPELINE}, demo_service.config)
            )
        )
    # THEN a new execution (its own ARN) is under way, the one before it Succeeded
    assert first["execution"]["status"] == "Succeeded"
    assert first["execution"]["displayName"] == "retrain-live-1"
    assert second["execution"]["arn"] != first["execution"]["arn"]
    assert second["execution"]["displayName"] == "retrain-live-2"
    assert second["execution"]["status"] == "Executing"
    assert statuses(second)["Preprocess"] == "Succeeded"
    assert statuses(second)["Train"] == "Executing"
    assert [(e["displayName"], e["status"]) for e in executions["executions"]][:2] == [
        ("retrain-live-2", "Executing"),
        ("retrain-live-1", "Succeeded"),
    ]
    # and run 2 is run 1 one period later, to the millisecond
    assert datetime.fromisoformat(second["execution"]["startTime"].replace("Z", "+00:00")) - (
        datetime.fromisoformat(first["execution"]["startTime"].replace("Z", "+00:00"))
    ) == timedelta(seconds=period)


def test_demo_live_rewrite_is_checked_against_botocore_shapes(demo_account):
    from sagemaker_lineage_ext.demo.hooks import validate_fields

    model = demo_account.client("sagemaker", demo_account.region).meta.service_model
    operation = model.operation_model("DescribeTrainingJob")
    validate_fields(operation, {"TrainingJobStatus": "InProgress"}, ["TrainingJobStatus"])
    with pytest.raises(CannedResponseError, match="Running"):
        validate_fields(operation, {"TrainingJobStatus": "Running"}, ["TrainingJobStatus"])
    with pytest.raises(CannedResponseError, match="required"):
        validate_fields(operation, {}, ["TrainingJobStatus"])
