"""OpenLineage events from a lineage answer (core/openlineage.py), on answers built by hand;
tests/integration/test_openlineage_demo.py checks the demo's with the OpenLineage client."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

from openlineage.client.uuid import generate_static_uuid

from sagemaker_lineage_ext.core.openlineage import (
    PRODUCER,
    parse_time,
    run_events,
    static_run_id,
)

ARN = "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p"
EXEC = f"{ARN}/execution/abc123"
NOW = datetime(2026, 11, 27, 12, 0, 0, 123000, tzinfo=timezone.utc)
POSTURE = {"encryption": "aws:kms", "versioning": "Enabled", "publicAccess": "Blocked",
           "tags": {"Owner": "ml-platform", "Env": "prod"}, "region": "eu-west-1", "findings": []}  # fmt: skip


def run(status, start, end=None, failure=None, **extra):
    return {"status": status, "startTime": start, "endTime": end, "elapsedSec": 1,
            "jobArn": None, "metrics": {}, "failureReason": failure, "cacheHit": False,
            "attempts": 1, "registry": None, **extra}  # fmt: skip


def loc(aid):
    return {"name": "x", "uri": "", "artifactId": aid, "resolved": True}


LINEAGE = {
    "pipeline": {"name": "p", "arn": ARN, "region": "eu-west-1"},
    "execution": {"arn": EXEC, "displayName": None, "status": "Failed",
                  "startTime": "2026-11-27T10:00:00.000Z", "endTime": "2026-11-27T10:30:00.500Z",
                  "elapsedSec": 1800, "failureReason": "Step Train failed",
                  "parameters": {"InputData": "s3://data/raw.csv"}},
    "graph": {
        "nodes": [
            {"id": "Prep", "type": "Processing", "inputs": [loc(1)], "outputs": [loc(2)],
             "run": run("Succeeded", "2026-11-27T10:00:05.000Z", "2026-11-27T10:05:00.000Z",
                        jobArn="arn:aws:sagemaker:eu-west-1:123456789012:processing-job/prep",
                        jobStatus="Completed", cacheHit=True, cacheSource=f"{ARN}/execution/old")},
            {"id": "Train", "type": "Training", "inputs": [loc(2)], "outputs": [loc(3)],
             "run": run("Failed", "2026-11-27T10:05:01.000Z", "2026-11-27T10:30:00.000Z",
                        "AlgorithmError: out of memory", metrics={"loss": 0.5, "nan": None})},
            {"id": "Register", "type": "RegisterModel", "inputs": [loc(3)], "outputs": [],
             "run": run("NotStarted", None)},
        ],
        "edges": [{"from": "Prep", "to": "Train", "via": "ref:Get"},
                  {"from": "Train", "to": "Register", "via": "ref:Get"}],
        "artifacts": [
            {"id": 1, "uri": "s3://data/raw.csv", "bucket": "data", "key": "raw.csv",
             "resolved": True, "producers": [], "consumers": ["Prep"], "s3": POSTURE},
            {"id": 2, "uri": "s3://work/features/", "bucket": "work", "key": "features/",
             "resolved": True, "producers": ["Prep"], "consumers": ["Train"], "s3": None},
            {"id": 3, "uri": "s3://work/{x}/model.tar.gz", "bucket": "work", "key": "{x}/model.tar.gz",
             "resolved": False, "producers": ["Train"], "consumers": ["Register"], "s3": None},
        ],
        "risks": [],
    },
    "warnings": [],
}  # fmt: skip


def by_job(answer):
    events = {}
    for event in answer["events"]:
        events.setdefault(event["job"]["name"], []).append(event)
    return events


def test_openlineage_run_ids_are_the_clients_static_uuid7_of_start_time_and_arn():
    start = parse_time("2026-11-27T10:00:00.000Z")
    mine = static_run_id(start, EXEC.encode())
    assert mine == str(generate_static_uuid(start, EXEC.encode()))
    assert mine[14] == "7", "UUID version 7"
    assert static_run_id(start, b"other") != mine


def test_openlineage_parent_run_first_and_last_steps_between_in_time_order():
    answer = run_events(LINEAGE, NOW)
    kinds = [(e["eventType"], e["job"]["name"]) for e in answer["events"]]
    assert kinds == [
        ("START", "p"),
        ("START", "p.Prep"),
        ("COMPLETE", "p.Prep"),
        ("START", "p.Train"),
        ("FAIL", "p.Train"),
        ("FAIL", "p"),
    ]
    assert [e["eventTime"] for e in answer["events"]] == [
        "2026-11-27T10:00:00.000Z", "2026-11-27T10:00:05.000Z", "2026-11-27T10:05:00.000Z",
        "2026-11-27T10:05:01.000Z", "2026-11-27T10:30:00.000Z", "2026-11-27T10:30:00.500Z",
    ]  # fmt: skip
    assert (answer["namespace"], answer["execution"]) == (
        "arn:aws:sagemaker:eu-west-1:123456789012",
        EXEC,
    )


def test_openlineage_steps_name_their_parent_and_dependencies():
    answer = run_events(LINEAGE, NOW)
    jobs = by_job(answer)
    parent_id = jobs["p"][0]["run"]["runId"]
    train = jobs["p.Train"][0]["run"]
    assert train["facets"]["parent"]["run"] == {"runId": parent_id, "facets": {}}
    assert train["facets"]["parent"]["job"] == {
        "namespace": answer["namespace"],
        "name": "p",
        "facets": {},
    }
    prep_id = jobs["p.Prep"][0]["run"]["runId"]
    dependencies = train["facets"]["jobDependencies"]
    assert dependencies["upstream"] == [
        {"job": {"namespace": answer["namespace"], "name": "p.Prep"}, "run": {"runId": prep_id}}
    ]
    # Register did not run: named as a job, without a run
    assert dependencies["downstream"] == [
        {"job": {"namespace": answer["namespace"], "name": "p.Register"}}
    ]
    assert "p.Register" not in jobs


def test_openlineage_failure_and_parameters_and_step_facet():
    jobs = by_job(run_events(LINEAGE, NOW))
    failed = jobs["p.Train"][1]["run"]["facets"]["errorMessage"]
    assert (failed["message"], failed["programmingLanguage"]) == (
        "AlgorithmError: out of memory",
        "unknown",
    )
    assert "errorMessage" not in jobs["p.Train"][0]["run"]["facets"]
    parameters = jobs["p"][0]["run"]["facets"]["executionParameters"]["parameters"]
    assert parameters == [{"key": "InputData", "value": "s3://data/raw.csv"}]
    step = jobs["p.Prep"][0]["run"]["facets"]["sagemakerLineage_stepRun"]
    assert step == {
        "_producer": PRODUCER,
        "_schemaURL": "https://github.com/sagemaker-lineage-ext/schema/facets/SageMakerStepRunFacet.json#/$defs/SageMakerStepRunFacet",
        "stepName": "Prep", "stepType": "Processing", "status": "Succeeded",
        "jobArn": "arn:aws:sagemaker:eu-west-1:123456789012:processing-job/prep",
        "jobStatus": "Completed", "cacheHit": True, "cacheSource": f"{ARN}/execution/old",
        "attempts": 1, "metrics": {},
    }  # fmt: skip
    # a metric that is not a number is left out, not sent as null
    assert jobs["p.Train"][0]["run"]["facets"]["sagemakerLineage_stepRun"]["metrics"] == {
        "loss": 0.5
    }
    assert jobs["p.Train"][0]["job"]["facets"]["jobType"]["jobType"] == "TRAINING"


def test_openlineage_datasets_use_s3_naming_with_tags_owner_and_posture():
    jobs = by_job(run_events(LINEAGE, NOW))
    (raw,) = jobs["p.Prep"][0]["inputs"]
    assert (raw["namespace"], raw["name"], raw["inputFacets"]) == ("s3://data", "raw.csv", {})
    assert raw["facets"]["ownership"]["owners"] == [{"name": "ml-platform", "type": "Owner"}]
    assert raw["facets"]["tags"]["tags"] == [
        {"key": "Owner", "value": "ml-platform", "source": "S3"},
        {"key": "Env", "value": "prod", "source": "S3"},
    ]
    posture = raw["facets"]["sagemakerLineage_bucketPosture"]
    assert (posture["encryption"], posture["publicAccess"], posture["findings"]) == (
        "aws:kms",
        "Blocked",
        [],
    )
    (features,) = jobs["p.Prep"][0]["outputs"]
    assert features == {
        "namespace": "s3://work",
        "name": "features/",
        "facets": {},
        "outputFacets": {},
    }
    # a URI that is still a placeholder is no dataset
    assert jobs["p.Train"][0]["outputs"] == []


def test_openlineage_running_runs_get_a_running_event_at_the_time_of_the_read():
    lineage = copy.deepcopy(LINEAGE)
    lineage["execution"].update(status="Executing", endTime=None, failureReason=None)
    lineage["graph"]["nodes"][1]["run"].update(status="Executing", endTime=None, failureReason=None)
    kinds = [
        (e["eventType"], e["job"]["name"], e["eventTime"])
        for e in run_events(lineage, NOW)["events"]
    ]
    assert kinds[-3:] == [
        ("START", "p.Train", "2026-11-27T10:05:01.000Z"),
        ("RUNNING", "p.Train", "2026-11-27T12:00:00.123Z"),
        ("RUNNING", "p", "2026-11-27T12:00:00.123Z"),
    ]


def test_openlineage_the_same_execution_read_twice_gives_the_same_events():
    first = run_events(LINEAGE, NOW)
    again = run_events(copy.deepcopy(LINEAGE), datetime.now(timezone.utc))
    assert first == again  # a finished execution has no RUNNING event: nothing depends on now
    ids = {e["run"]["runId"] for e in first["events"]}
    assert len(ids) == 3
